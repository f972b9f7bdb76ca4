// Backend symbols: object-file symbol names with OCaml's own mangling
// (`caml` + unit + separator + name), plus whether they name code or data
// and which object file defines them. Backend symbols that name data always
// point at well-formed OCaml values. They carry no target-specific spelling:
// escaping, the macOS `_` prefix and relocations are the assembly layer's.
//
// Every runtime and startup name comes from a named constructor here, so
// that no caller concatenates strings to build `caml_curry3_1_app`.
//
// Mirrors: the RFC "Symbols" (shared/seeds/004), "Backend symbols";
// middle_end/compilenv.ml, asmcomp/asmlink.ml (`make_startup_file`,
// `make_shared_startup_file`) and asmcomp/cmm_helpers.ml (`apply_function`,
// `curry_function`, `tuplify_function`, `send_function`) of OCaml 4.13.1.
#ifndef CAMLSYM_SYMBOLS_BACKEND_SYMBOL_H_
#define CAMLSYM_SYMBOLS_BACKEND_SYMBOL_H_

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include "camlsym/symbols/mangling_scheme.h"
#include "camlsym/symbols/middle_end_symbol.h"
#include "camlsym/symbols/object_file.h"
#include "fmt/format.h"

namespace camlsym {

/// The per-unit marker symbols every OCaml object file defines.
enum class UnitMarker : std::uint8_t {
  kEntry,       // `caml<U>__entry`: the unit's initialisation code
  kCodeBegin,   // `caml<U>__code_begin`
  kCodeEnd,     // `caml<U>__code_end`
  kDataBegin,   // `caml<U>__data_begin`
  kDataEnd,     // `caml<U>__data_end`
  kFrametable,  // `caml<U>__frametable`
  kGcRoots,     // `caml<U>__gc_roots`
};

/// Every UnitMarker, in declaration order.
inline constexpr UnitMarker kUnitMarkers[] = {
    UnitMarker::kEntry,     UnitMarker::kCodeBegin, UnitMarker::kCodeEnd,
    UnitMarker::kDataBegin, UnitMarker::kDataEnd,   UnitMarker::kFrametable,
    UnitMarker::kGcRoots};

/// The marker's local name: `entry`, `code_begin`, ... (inline: the
/// demangler matches every symbol's local name against these).
constexpr std::string_view UnitMarkerName(UnitMarker marker) {
  switch (marker) {
    case UnitMarker::kEntry:
      return "entry";
    case UnitMarker::kCodeBegin:
      return "code_begin";
    case UnitMarker::kCodeEnd:
      return "code_end";
    case UnitMarker::kDataBegin:
      return "data_begin";
    case UnitMarker::kDataEnd:
      return "data_end";
    case UnitMarker::kFrametable:
      return "frametable";
    case UnitMarker::kGcRoots:
      return "gc_roots";
  }
  return "";
}

/// The startup file's own symbols, other than the predefined exceptions and
/// the generic functions: the program's code and the runtime's tables
/// (asmlink.ml `make_startup_file`, `make_shared_startup_file`).
enum class StartupSymbol : std::uint8_t {
  kProgram,       // `caml_program` (code): runs every unit's entry
  kGlobals,       // `caml_globals`: the linked units' module blocks
  kGlobalsMap,    // `caml_globals_map`: the Marshal'd globals map
  kDataSegments,  // `caml_data_segments`
  kCodeSegments,  // `caml_code_segments`
  kFrametable,    // `caml_frametable`
  kPluginHeader,  // `caml_plugin_header`, in a plugin's startup
};

/// Every StartupSymbol, in declaration order.
inline constexpr StartupSymbol kStartupSymbols[] = {
    StartupSymbol::kProgram,      StartupSymbol::kGlobals,
    StartupSymbol::kGlobalsMap,   StartupSymbol::kDataSegments,
    StartupSymbol::kCodeSegments, StartupSymbol::kFrametable,
    StartupSymbol::kPluginHeader};

/// The symbol's name, `caml_program`, ... (the same in every scheme).
constexpr std::string_view StartupSymbolName(StartupSymbol symbol) {
  constexpr std::string_view kNames[] = {
      "caml_program",       "caml_globals",       "caml_globals_map",
      "caml_data_segments", "caml_code_segments", "caml_frametable",
      "caml_plugin_header"};
  static_assert(std::size(kNames) == std::size(kStartupSymbols));
  return kNames[static_cast<std::size_t>(symbol)];
}

/// Whether a symbol names code (text) or data.
enum class SymbolKind { kCode, kData };

/// An object-file symbol, mangled but not escaped. Immutable value; equality
/// compares name, kind and object file.
class BackendSymbol {
 public:
  /// The symbol of \p sym, defined in \p file, mangled with \p scheme.
  /// Code pointers are code, everything else data.
  static BackendSymbol FromMiddleEnd(const MiddleEndSymbol& sym,
                                     const ObjectFile& file,
                                     const ManglingScheme& scheme);

  /// The module block `caml<ui_symbol>` of a unit known by its .cmx
  /// `ui_symbol` (which already carries the pack prefix).
  static BackendSymbol ModuleBlock(std::string_view ui_symbol,
                                   const ObjectFile& file);

  /// A marker of an OCaml unit known by its `ui_symbol`.
  static BackendSymbol Marker(std::string_view ui_symbol, UnitMarker marker,
                              const ObjectFile& file,
                              const ManglingScheme& scheme);

  /// A marker of \p file itself: its unit, or the pseudo-units `_startup`,
  /// `_shared_startup`, `_system`. The runtime's own markers keep `__` in
  /// every release, since its C code names them, except its frame table,
  /// which 5.x's runtime/<arch>.S defines as `caml_system.frametable`.
  static BackendSymbol MarkerOf(const ObjectFile& file, UnitMarker marker,
                                const ManglingScheme& scheme);

  // Startup-file symbols (asmlink.ml). The defining file is the startup.
  /// `caml_program` (code): runs every unit's entry.
  static BackendSymbol Program();
  /// `caml_globals` (data); \p file is the startup or the shared startup.
  static BackendSymbol Globals(const ObjectFile& file);
  /// `caml_globals_map` (data): the Marshal'd globals map.
  static BackendSymbol GlobalsMap();
  /// `caml_data_segments` (data).
  static BackendSymbol DataSegments();
  /// `caml_code_segments` (data).
  static BackendSymbol CodeSegments();
  /// `caml_frametable` (data).
  static BackendSymbol Frametable();
  /// `caml_plugin_header` (data), in the shared startup.
  static BackendSymbol PluginHeader();
  /// `caml_exn_<Name>` (data), defined by the startup file.
  static BackendSymbol Exception(PredefinedException exn);

  // Generic functions (cmm_helpers.ml), code defined in \p file.
  /// `caml_curry<arity>`.
  static BackendSymbol Curry(int arity, const ObjectFile& file);
  /// `caml_curry<arity>_<num_args>`: the closure after \p num_args args.
  static BackendSymbol CurryPartial(int arity, int num_args,
                                    const ObjectFile& file);
  /// `caml_curry<arity>_<num_args>_app`: its full application entry.
  static BackendSymbol CurryPartialApp(int arity, int num_args,
                                       const ObjectFile& file);
  /// `caml_tuplify<arity>`.
  static BackendSymbol Tuplify(int arity, const ObjectFile& file);
  /// `caml_apply<arity>`.
  static BackendSymbol Apply(int arity, const ObjectFile& file);
  /// `caml_send<arity>`.
  static BackendSymbol Send(int arity, const ObjectFile& file);

  // Runtime symbols (libasmrun), referred to by generated code.
  /// `caml_globals_inited` (data, runtime/startup_nat.c).
  static BackendSymbol GlobalsInited();
  /// `caml_call_gc` (code, runtime/amd64.S and arm64.S).
  static BackendSymbol CallGc();
  /// `caml_call_realloc_stack` (code, OCaml 5's runtime/amd64.S and
  /// arm64.S): grows the current fiber's stack.
  static BackendSymbol CallReallocStack();
  /// `caml_cache_public_method2` etc.: a runtime C function \p c_name.
  static BackendSymbol RuntimeFunction(std::string_view c_name);
  /// A runtime C variable \p c_name.
  static BackendSymbol RuntimeData(std::string_view c_name);

  /// The mangled name, e.g. `camlStdlib__List__map_123`, unescaped.
  const std::string& name() const { return name_; }
  /// The mangled name, moved out of a symbol about to be dropped (what is
  /// left has an empty name).
  std::string ReleaseName() && { return std::move(name_); }
  SymbolKind kind() const { return kind_; }
  const ObjectFile& object_file() const { return file_; }

  friend bool operator==(const BackendSymbol&, const BackendSymbol&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const BackendSymbol& s) {
    return H::combine(std::move(h), s.name_, s.kind_, s.file_);
  }

 private:
  // A StartupSymbol defined by \p file.
  static BackendSymbol OfStartup(StartupSymbol symbol, SymbolKind kind,
                                 const ObjectFile& file);
  BackendSymbol(std::string name, SymbolKind kind, ObjectFile file)
      : name_(std::move(name)), kind_(kind), file_(std::move(file)) {}
  std::string name_;
  SymbolKind kind_;
  ObjectFile file_;
};

}  // namespace camlsym

/// Formats as the mangled name.
template <>
struct fmt::formatter<camlsym::BackendSymbol>
    : fmt::formatter<std::string_view> {
  auto format(const camlsym::BackendSymbol& s, fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(s.name(), ctx);
  }
};

#endif  // CAMLSYM_SYMBOLS_BACKEND_SYMBOL_H_
