// Demangling: recovering the structure of an OCaml native-code symbol from
// its object-file name, for every mangling scheme OCaml has used.
//
// A flat OCaml symbol is `caml` + unit symbol + separator + local name, with
// every character the assembler cannot take written as an escape:
//
//   scheme       compilers                     separator  escape
//   ocaml-4.13   4.x, 5.0                      `__`       `$xx`
//   ocaml-5.1    5.1-5.3; 5.4+ on Linux, BSD   `.`        `$xx`
//   ocaml-5.4    5.4+ on macOS and Windows     `$`        `$$xx`
//
//   camlStdlib__List__map_289   camlStdlib__List.map_289
//   camlX$27y__f_81 (x'y.ml)    camlX$27y.f_270         camlX$$27y$f_270
//
// (`xx` is two lowercase hex digits; checked on objects compiled by 4.13.1,
// 5.3.0 and 5.4.1 for Linux, whose 5.4 writes `camlX$27y.f_274`, and 5.4's
// Changes, #13050/#14104/#14143, for macOS and Windows.) From 5.1 on, the
// separator character itself passes through escaping. macOS adds a leading
// `_`. OxCaml adds a structured scheme, `_Caml` + length-prefixed tagged
// path items (`_CamlU6StdlibM4ListF3map`).
//
// Demangle() never allocates: a DemangledSymbol holds `std::string_view`s into
// the input plus small inline data, and escape decoding happens only when a
// caller asks for the unit or local name or a rendering (AppendUnitName,
// AppendLocalName, RenderPlain), into a buffer the caller provides or reuses.
//
// Which `caml_*` names are OCaml symbols. The names the compiler generates
// are: the predefined exceptions `caml_exn_<Name>` (middle_end_symbol.h
// kPredefinedExceptions: the same 12 in the startup files of 4.13.1, 5.3.0
// and 5.4.1), the generic functions (`caml_curryN`, `caml_curryN_K`,
// `caml_curryN_K_app`, `caml_tuplifyN`, `caml_applyN`, `caml_sendN`), the
// startup file's tables (backend_symbol.h kStartupSymbols: `caml_program`,
// `caml_globals`, ...) and the markers of the pseudo-units
// (compilation_unit.h kPseudoUnits: `_startup`, `_shared_startup`, `_system`,
// `_hot`; `caml_startup__code_begin`, `caml_system.frametable`, ...). Those are
// demangled (category kRuntime for the last two groups). Every other `caml_*`
// name is a C identifier of the runtime (`caml_alloc`, `caml_startup`):
// Demangle() returns nullopt for it, so filters leave it untouched.
//
// What a flat name can be. The unit symbol starts with an uppercase letter
// and holds letters, digits, `_` and escapes; for a packed unit it is the
// pack path joined by the separator (`P__Sub`, `P.Sub`). The local name is a
// unit marker (`entry`, `code_begin`, ...), the number of a structured
// constant, or a name with a `_<digits>` identifier stamp (flambda also
// writes `<name>_<digits>_closure`): every other local of the OCaml 4.13 and
// 5.3/5.4 trees carries a stamp (tests/demangle_corpus_test.cc checks all of
// them), so `camlA_b__c` is the module block of unit `A_b__c`, never an
// unstamped value `c` of `A_b`, and `camlUpper__Case___entry` is the entry
// of unit `Upper__Case_`. An escape must decode to a byte the compiler
// escapes (printable punctuation or a byte >= 0x80, never a letter, digit,
// `_`, control byte, or the 5.x separator).
//
// Splitting rule. The unit is the longest run of leading capitalized
// components (split at the leftmost separator), except that a last component
// ending in a stamp is the local name (a functor: `camlStdlib__Hashtbl__
// Make_951` is `Make`, stamp 951, of `Stdlib__Hashtbl`). In 4.13 the other
// `__` positions are also tried, left to right, and the whole name as a
// module block if nothing else is valid. Valid readings are then ranked,
// stably: a unit with `__` before a lowercase letter (`A_b__c`) ranks after
// one without (`camlAst_helper__constraint__898` is `constraint_`, stamp
// 898, of `Ast_helper`, before constant 898 of `Ast_helper__constraint`). Unit
// components are split at `__` before an uppercase letter in 4.13 and OxCaml
// (`A_b__c` is one component) and at the separator in 5.x; plain renderings
// also show a 5.x `__` before an uppercase letter as `.`, so that 4.x and 5.x
// print alike
// (`camlStdlib__List__map_289` and `camlStdlib__List.map_289` are both
// `Stdlib.List.map`).
//
// Ambiguities (the bytes do not say). DemangleAll() returns every valid
// reading, the one Demangle() returns first; a caller that knows the linked
// units (`camlsym demangle --units`) picks the reading whose unit exists.
//  - 4.13 `__` is also legal inside unit and local names (ocaml/ocaml#8998):
//    `a.ml`'s `b__c` and `a__b.ml`'s `c` both give `camlA__b__c_N`; a unit
//    ending in `_` gives `___` (`camlFoo___x_1`: `_x` of `Foo` or `x` of
//    `Foo_`). In 4.13 a local name starting with an uppercase letter (a
//    functor) is taken to hold no `__`, and a unit not to end in `__`.
//  - Without `.` or `$$`, a `$` is either a 4.13/5.1 escape or a 5.4
//    separator (`camlFoo$ab_1`): both readings are kept; a reading whose
//    escapes decode to bytes >= 0x80, or a module block whose unit ends in
//    a stamp, ranks after the other scheme's.
//  - A packed unit whose name ends in `_<digits>` (`P.Foo_2`) has a module
//    block `camlP__Foo_2` read as the functor `Foo`, stamp 2, of `P`.
//  - Names without separator (`camlStdlib`, `caml_curry3`) are spelled alike
//    by several schemes: `schemes` lists them, `scheme` is the oldest.
//  - 4.x on POWER and s390x escaped with `.` instead of `$`; those names
//    read as ocaml-5.1 and are not decoded.
//
// Mirrors: OCaml 4.13.1 middle_end/compilenv.ml (`make_symbol`,
// `new_const_symbol`), asmcomp/emitaux.ml (`emit_symbol`),
// asmcomp/x86_proc.ml (`string_of_symbol`), asmcomp/cmm_helpers.ml (generic
// function names), asmcomp/asmlink.ml (startup names), typing/predef.ml
// (predefined exceptions); OCaml 5.1 PR #11430 (compilenv.ml
// `symbol_separator`), 5.4 PRs #13050, #14104 and #14143; OxCaml
// utils/structured_mangling.ml; and, as a counter-example, Linux
// tools/perf/util/demangle-ocaml.c (keeps stamps and the macOS `_`, turns
// every `__` into `.`, reads past the end on a trailing `$x`).
#ifndef CAMLSYM_SYMBOLS_DEMANGLE_H_
#define CAMLSYM_SYMBOLS_DEMANGLE_H_

#include <array>
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
  /// names without any separator, which every flat scheme spells alike
  /// (DemangledSymbol::schemes then lists all of them).
  kOcaml413,
  /// `.` separator passing through escaping, `$xx` escapes: 5.1 to 5.3, and
  /// 5.4 and later on Linux and other non-Apple Unix systems.
  kOcaml51,
  /// `$` separator, `$$xx` escapes: 5.4 and later on macOS and Windows.
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
  /// True if `unit` contains escapes (`X$27y` for `X'y`).
  bool unit_needs_decoding = false;
  /// Every scheme that spells this reading with exactly these bytes, one bit
  /// per DemangledScheme (`1 << scheme`); see IsSpelledBy() and SchemesOf().
  std::uint8_t schemes = 0;
  /// Number of unit components (UnitComponent()): 4.13 and OxCaml split at
  /// `__` before an uppercase letter, 5.x at `separator`.
  std::uint8_t unit_component_count = 0;
  /// The separator between unit components as spelled (`__` for 4.13 and
  /// OxCaml, otherwise `separator`). Static storage.
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
/// returns its likeliest reading (the first of DemangleAll()), or nullopt if
/// it is not one (C names such as `caml_alloc`, malformed escapes,
/// characters outside the scheme's alphabet, local names without stamp).
/// Reads only `symbol[0, size)`, whatever the bytes; never allocates. The
/// returned views point into \p symbol.
std::optional<DemangledSymbol> Demangle(std::string_view symbol);

/// Demangle() into \p out, for loops that reuse one DemangledSymbol: true
/// and \p out set if \p symbol is an OCaml symbol, else false and \p out
/// unspecified.
bool Demangle(std::string_view symbol, DemangledSymbol& out);

/// Demangle(symbol, out) for a caller that has checked that every byte of
/// \p symbol is in `[A-Za-z0-9_.$]` (a filter that cuts text into runs of
/// such bytes), so that the bytes are not classified again. Other bytes
/// are the caller's error: the result is then unspecified (but no byte
/// outside `symbol[0, size)` is read).
bool DemangleUncheckedBytes(std::string_view symbol, DemangledSymbol& out);

/// False if no name `caml_` + \p rest + anything is an OCaml symbol, as
/// told from the first eight bytes of \p rest alone: it starts like none of
/// the predefined exceptions, generic functions, startup symbols and
/// pseudo-units. True for most of those that are (`exn_Not_found`), and for
/// some C names of the runtime (`apply_xyz`), which Demangle() then refuses.
/// A filter skips most C names (`caml_alloc`) with it. Never allocates.
bool MayBeCamlUnderscoreSymbol(std::string_view rest);

/// At most this many readings are kept by DemangleAll().
inline constexpr std::size_t kMaxDemangledReadings = 8;

/// The readings of one symbol, likeliest first (fixed storage, no heap).
struct DemangledReadings {
  std::array<DemangledSymbol, kMaxDemangledReadings> readings;
  /// Number of valid entries of `readings`.
  std::size_t count = 0;
};

/// Every reading of \p symbol under the rules above (see "Ambiguities" in
/// the file comment), written to \p out; returns their number, 0 if it is
/// not an OCaml symbol, more than 1 if the symbol is ambiguous.
/// `out.readings[0]` is what Demangle() returns. Never allocates.
std::size_t DemangleAll(std::string_view symbol, DemangledReadings& out);

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

/// Appends \p d's unit symbol to \p out with escapes decoded (`X'y`,
/// `Stdlib__List`, `P.Sub`), the separators between unit components written
/// as \p separator if given (`__` gives the 4.x spelling of any scheme's
/// unit, as in a .cmx's ui_symbol), else as spelled. No allocation once
/// \p out has capacity.
void AppendUnitName(const DemangledSymbol& d, std::string& out,
                    std::optional<std::string_view> separator = std::nullopt);

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

/// Whether plain renderings keep identifier stamps.
enum class StampRendering : std::uint8_t {
  /// `Stdlib.List.map`: readable, but distinct functions of one module with
  /// the same name (closures, shadowed definitions) print alike.
  kDrop,
  /// `Stdlib.List.map_289`: the stamp (OxCaml: the suffix) after the name,
  /// so that distinct symbols print distinctly.
  kKeep,
};

/// Writes the plain rendering of \p d into `buf[0, cap)` without a NUL and
/// returns its full length (snprintf style: if the result exceeds \p cap the
/// output is truncated, and a second call with a larger buffer completes
/// it). Never allocates. The rendering is:
///  - function or value: unit components joined by `.` (a 5.x `__` before an
///    uppercase letter too), escapes decoded, then `.` and the decoded local
///    name without stamp: `Stdlib.List.map` (`_289` kept with
///    StampRendering::kKeep);
///  - module block: `Stdlib.List`;
///  - unit marker: `Stdlib.List.<code_begin>`;
///  - anonymous constant: `Stdlib.List.<const_12>`;
///  - predefined exception: its name, `Not_found`;
///  - generic function and runtime symbol: the name without macOS prefix,
///    verbatim (`caml_curry3_1_app`, `caml_startup__code_begin`);
///  - OxCaml: `Foo.Bar.baz`, the path items joined by `.`, suffix dropped.
std::size_t RenderPlain(const DemangledSymbol& d, char* buf, std::size_t cap,
                        StampRendering stamps = StampRendering::kDrop);

/// RenderPlain appending to \p out (no allocation once \p out has capacity).
void AppendPlain(const DemangledSymbol& d, std::string& out,
                 StampRendering stamps = StampRendering::kDrop);

/// RenderPlain into a fresh string.
std::string RenderPlainString(const DemangledSymbol& d,
                              StampRendering stamps = StampRendering::kDrop);

/// True if \p scheme spells \p d with exactly its bytes.
bool IsSpelledBy(const DemangledSymbol& d, DemangledScheme scheme);

/// The schemes spelling \p d, oldest first (allocates the vector).
std::vector<DemangledScheme> SchemesOf(const DemangledSymbol& d);

/// `ocaml-4.13`, `ocaml-5.1`, `ocaml-5.4` or `oxcaml-structured`.
std::string_view SchemeName(DemangledScheme scheme);

/// `unit_marker`, `module_block`, `function_or_value`, `anonymous_constant`,
/// `predefined_exception`, `generic_function` or `runtime`.
std::string_view CategoryName(SymbolCategory category);

}  // namespace camlsym

#endif  // CAMLSYM_SYMBOLS_DEMANGLE_H_
