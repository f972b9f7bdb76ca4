// Demangling: recovering the structure of an OCaml native-code symbol from
// its object-file name, for every mangling scheme OCaml has used.
//
// A flat OCaml symbol is `caml` + unit symbol + separator + local name, with
// every character the assembler cannot take written as an escape:
//
//   scheme       separator         escape     example
//   ocaml-4.13   `__`              `$xx`      camlStdlib__List__map_123
//   ocaml-5.1    `.`               `$xx`      camlStdlib__List.map_123
//   ocaml-5.4    `$` (macOS, Win)  `$$xx`     camlStdlib__List$map_123
//                `.` (elsewhere)   `$$xx`     camlStdlib__List.$$2b_5
//
// (`xx` is two lowercase hex digits.) From 5.1 on, the separator character
// itself passes through escaping. macOS adds a leading `_`. OxCaml adds a
// structured scheme, `_Caml` + length-prefixed tagged path items
// (`_CamlU6StdlibM4ListF3map`).
//
// Demangle() never allocates: a DemangledSymbol holds `std::string_view`s into
// the input plus small inline data, and escape decoding happens only when a
// caller asks for the local name or a rendering (AppendLocalName,
// RenderPlain), into a buffer the caller provides or reuses.
//
// Which `caml_*` names are OCaml symbols. The names the compiler generates
// are: the predefined exceptions `caml_exn_<Name>` (the 12 of 4.13 plus 5.x's
// Continuation_already_taken), the generic functions (`caml_curryN`,
// `caml_curryN_K`, `caml_curryN_K_app`, `caml_tuplifyN`, `caml_applyN`,
// `caml_sendN`), the startup file's tables (`caml_program`, `caml_globals`,
// `caml_globals_map`, `caml_data_segments`, `caml_code_segments`,
// `caml_frametable`, `caml_plugin_header`) and the markers of the pseudo-units
// `_startup`, `_shared_startup`, `_system` and `_hot`
// (`caml_startup__code_begin`, `caml_system__frametable`, ...). Those are
// demangled (category kRuntime for the last two groups). Every other `caml_*`
// name is a C identifier of the runtime (`caml_alloc`, `caml_startup`):
// Demangle() returns nullopt for it, so filters leave it untouched.
//
// Splitting rule for flat symbols. After `caml`, the name is cut at each
// separator. The unit is the longest run of leading components that are
// capitalized identifiers (`[A-Z][A-Za-z0-9_]*`), except that a last
// component ending in a `_<digits>` stamp is the local name (a functor:
// `camlStdlib__Hashtbl__Make_951` is `Make`, stamp 951, of unit
// `Stdlib__Hashtbl`). The local name is the rest, separators included
// (`camlLexer____ocaml_lex_token_rec_1134` is `__ocaml_lex_token_rec` of
// `Lexer`). A local name of digits only is an anonymous constant. The
// separator `__` is found leftmost (`camlMain_args___I_2551` is `_I`, stamp
// 2551, of `Main_args`).
//
// Inherent ambiguities (the bytes do not say; documented, not guessed):
//  - 4.13 `__` is also legal inside names: `a.ml`'s `b__c` and `a__b.ml`'s
//    `c` both give `camlA__b__c_N` (ocaml/ocaml#8998). camlsym reads the
//    unit as the capitalized prefix, so this is `b__c` of `A`.
//  - A unit whose last pack component ends in `_<digits>` (`P.Foo_2`) has a
//    module block `camlP__Foo_2` read as local `Foo`, stamp 2, of `P`.
//  - A unit component ending in `_` (`Foo_`) followed by `__` is split
//    leftmost: `camlFoo___x_1` is `_x` of `Foo`, never `x` of `Foo_`.
//  - ocaml-5.1 and ocaml-5.4 on Linux spell names identically unless a
//    `$$xx` escape appears; such symbols are reported as ocaml-5.1. Names
//    with no separator at all (`camlStdlib`, `caml_curry3`) are reported as
//    ocaml-4.13, the oldest scheme spelling them so.
//  - ocaml-5.4 with `$`: a literal `$` passes through, so a name containing
//    `$$2b` and a name containing `+` mangle alike; camlsym decodes `$$xx`.
//  - With `$` separators and no `$$` in the name, `$xx` could be a 4.13
//    escape or a separator followed by hex-looking text. camlsym takes the
//    4.13 reading when it yields a valid unit and local name, else the 5.4
//    one (`camlFoo$add_1` is 5.4: 4.13 never escapes inside a unit name).
//  - The 5.4 `$$xx` escape is from PR #13050 (commit 155a12c, emitaux.ml
//    and x86_proc.ml). PR #14143 is described as restoring only the `.`
//    separator on non-Apple Unix; camlsym therefore reads `$$xx` with either
//    separator, and `$xx` with `.` as 5.1.
//  - 4.x on POWER and s390x escaped with `.` instead of `$`; those names
//    read as ocaml-5.1 and are not decoded.
//
// Mirrors: OCaml 4.13.1 middle_end/compilenv.ml (`make_symbol`,
// `new_const_symbol`), asmcomp/emitaux.ml (`emit_symbol`),
// asmcomp/x86_proc.ml (`string_of_symbol`), asmcomp/cmm_helpers.ml (generic
// function names), asmcomp/asmlink.ml (startup names), typing/predef.ml
// (predefined exceptions); OCaml 5.1 PR #11430, 5.4 PRs #13050 and #14143;
// OxCaml utils/structured_mangling.ml; and, as a counter-example, Linux
// tools/perf/util/demangle-ocaml.c (keeps stamps and the macOS `_`, turns
// every `__` into `.`, reads past the end on a trailing `$x`).
#ifndef CAMLSYM_SYMBOLS_DEMANGLE_H_
#define CAMLSYM_SYMBOLS_DEMANGLE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "camlsym/symbols/backend_symbol.h"
#include "camlsym/symbols/compilation_unit.h"
#include "camlsym/symbols/mangling_scheme.h"

namespace camlsym {

/// The mangling scheme a symbol was recognised as.
enum class DemangledScheme : std::uint8_t {
  /// `__` separator, `$xx` escapes (OCaml 4.x and 5.0). Also reported for
  /// names without any separator, which every flat scheme spells alike.
  kOcaml413,
  /// `.` separator passing through escaping, `$xx` escapes (5.1 to 5.3, and
  /// 5.4 on Linux when no escape is present).
  kOcaml51,
  /// 5.4: `$$xx` escapes; `$` separator on macOS/Windows, `.` elsewhere.
  kOcaml54,
  /// OxCaml's structured scheme, `_Caml` + tagged length-prefixed items.
  kOxCamlStructured,
};

/// What a symbol names.
enum class SymbolCategory : std::uint8_t {
  /// `caml<U>__entry`, `__code_begin`, ...: see UnitMarker.
  kUnitMarker,
  /// `caml<U>`: the unit's module block.
  kModuleBlock,
  /// `caml<U>__<name>_<stamp>`: a function, closure or value.
  kFunctionOrValue,
  /// `caml<U>__<n>`: a structured constant; `n` is in `stamp`.
  kAnonymousConstant,
  /// `caml_exn_<Name>`: a predefined exception of the startup file.
  kPredefinedException,
  /// `caml_curryN`, `caml_applyN`, ...: see GenericFunctionKind.
  kGenericFunction,
  /// Startup tables (`caml_program`) and pseudo-unit markers
  /// (`caml_startup__code_begin`).
  kRuntime,
};

/// The generic functions of cmm_helpers.ml.
enum class GenericFunctionKind : std::uint8_t {
  kNone,
  /// `caml_curryN`: arity N.
  kCurry,
  /// `caml_curryN_K`: arity N, K arguments already applied.
  kCurryPartial,
  /// `caml_curryN_K_app`: the full application of `caml_curryN_K`.
  kCurryPartialApp,
  /// `caml_tuplifyN`.
  kTuplify,
  /// `caml_applyN`.
  kApply,
  /// `caml_sendN`.
  kSend,
};

/// The structure of one OCaml symbol. Every `std::string_view` points into
/// the string passed to Demangle(): the value is only valid while that
/// string is alive and unchanged. Plain data, cheap to copy.
struct DemangledSymbol {
  /// The whole input, including any macOS `_`.
  std::string_view symbol;
  /// The scheme the name was recognised as (see DemangledScheme).
  DemangledScheme scheme = DemangledScheme::kOcaml413;
  /// What the symbol names; selects which fields below are meaningful.
  SymbolCategory category = SymbolCategory::kFunctionOrValue;
  /// True if the input had the macOS `_` in front of `caml` (or `_Caml`).
  bool has_macos_prefix = false;
  /// The separator as spelled: `__`, `.` or `$`; empty for names without one
  /// (exceptions, generic functions, runtime tables). Static storage.
  std::string_view separator;
  /// The unit's symbol name as the scheme spells it (`Stdlib__List`; for a
  /// 5.1 pack `P.Unit`), or the pseudo-unit (`_startup`); empty for
  /// exceptions, generic functions and runtime tables.
  std::string_view unit;
  /// Number of components of `unit` split at `unit_separator`.
  std::uint8_t unit_component_count = 0;
  /// The separator between unit components (`__` for 4.13 and OxCaml,
  /// otherwise `separator`). Static storage.
  std::string_view unit_separator;
  /// The local name as spelled in the symbol (escapes not decoded), without
  /// stamp. Marker name (`code_begin`) for markers, exception name
  /// (`Not_found`) for exceptions, whole name after the macOS prefix
  /// (`caml_curry3`, `caml_program`) for generic functions and runtime
  /// tables; empty for module blocks and constants. For OxCaml, the encoded
  /// path items after the unit (`M4ListF3map`).
  std::string_view local_raw;
  /// True if `local_raw` contains escapes (or, for OxCaml, items that need
  /// rendering), i.e. it differs from the decoded local name.
  bool local_needs_decoding = false;
  /// The identifier stamp (`_123`), or the constant's number.
  std::optional<std::int64_t> stamp;
  /// Which marker (backend_symbol.h), for kUnitMarker and pseudo-unit
  /// kRuntime symbols; its name is UnitMarkerName().
  std::optional<UnitMarker> marker;
  /// For kGenericFunction.
  GenericFunctionKind generic_kind = GenericFunctionKind::kNone;
  /// N of `caml_curryN...`, `caml_tuplifyN`, `caml_applyN`, `caml_sendN`.
  std::uint32_t generic_arity = 0;
  /// K of `caml_curryN_K` and `caml_curryN_K_app`.
  std::uint32_t generic_applied = 0;
  /// OxCaml only: the trailing compiler suffix (`_300`, `_5_code`), kept
  /// verbatim.
  std::string_view oxcaml_suffix;
};

/// Recognises \p symbol as an OCaml symbol of any supported scheme and
/// returns its structure, or nullopt if it is not one (C names such as
/// `caml_alloc`, malformed escapes, characters outside the scheme's
/// alphabet). Reads only `symbol[0, size)`, whatever the bytes; never
/// allocates. The returned views point into \p symbol.
std::optional<DemangledSymbol> Demangle(std::string_view symbol);

/// Rebuilds the symbol from \p d's fields: for any `d` returned by
/// Demangle(s), the result equals `s` byte for byte (escapes, stamp and macOS
/// prefix included).
std::string Mangle(const DemangledSymbol& d);

/// Appends the decoded local name of \p d (escapes decoded, stamp removed;
/// OxCaml paths rendered `M.f`, `fn(file.ml:3:4)`) to \p out. Empty for
/// module blocks and constants. Does not allocate once \p out has capacity.
void AppendLocalName(const DemangledSymbol& d, std::string& out);

/// AppendLocalName into a fresh string.
std::string LocalName(const DemangledSymbol& d);

/// Component \p index (0-based, below `d.unit_component_count`) of \p d's
/// unit: `Stdlib` and `List` for `Stdlib__List` in 4.13. Points into the
/// input. Empty view if \p index is out of range.
std::string_view UnitComponent(const DemangledSymbol& d, std::size_t index);

/// All unit components, in order (allocates the vector; views point into
/// the input).
std::vector<std::string_view> UnitComponents(const DemangledSymbol& d);

/// The unit as a CompilationUnit: its components become the for-pack prefix
/// and name (pseudo-units such as `_startup` are built unchecked).
/// kInvalidArgument if \p d has no unit (exceptions, generic functions,
/// runtime tables) or a component is not a valid module name.
absl::StatusOr<CompilationUnit> UnitOf(const DemangledSymbol& d);

/// The flat ManglingScheme \p d was spelled with (5.4 with `$` maps to
/// SeparatorPlatform::kAppleOrNonUnix), or nullopt for OxCaml.
std::optional<ManglingScheme> FlatManglingScheme(const DemangledSymbol& d);

/// Writes the plain rendering of \p d into `buf[0, cap)` without a NUL and
/// returns its full length (snprintf style: if the result exceeds \p cap the
/// output is truncated, and a second call with a larger buffer completes
/// it). Never allocates. The rendering is:
///  - function or value: unit components joined by `.`, then `.` and the
///    decoded local name without stamp: `Stdlib.List.map`;
///  - module block: `Stdlib.List`;
///  - unit marker: `Stdlib.List.<code_begin>`;
///  - anonymous constant: `Stdlib.List.<const_12>`;
///  - predefined exception: its name, `Not_found`;
///  - generic function and runtime symbol: the name without macOS prefix,
///    verbatim (`caml_curry3_1_app`, `caml_startup__code_begin`);
///  - OxCaml: `Foo.Bar.baz`, the path items joined by `.`, suffix dropped.
std::size_t RenderPlain(const DemangledSymbol& d, char* buf, std::size_t cap);

/// RenderPlain appending to \p out (no allocation once \p out has capacity).
void AppendPlain(const DemangledSymbol& d, std::string& out);

/// RenderPlain into a fresh string.
std::string RenderPlainString(const DemangledSymbol& d);

/// `ocaml-4.13`, `ocaml-5.1`, `ocaml-5.4` or `oxcaml-structured`.
std::string_view SchemeName(DemangledScheme scheme);

/// `unit_marker`, `module_block`, `function_or_value`, `anonymous_constant`,
/// `predefined_exception`, `generic_function` or `runtime`.
std::string_view CategoryName(SymbolCategory category);

}  // namespace camlsym

#endif  // CAMLSYM_SYMBOLS_DEMANGLE_H_
