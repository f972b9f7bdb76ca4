#include "camlsym/symbols/backend_symbol.h"

namespace camlsym {

namespace {

SymbolKind MarkerKind(UnitMarker marker) {
  switch (marker) {
    case UnitMarker::kEntry:
    case UnitMarker::kCodeBegin:
    case UnitMarker::kCodeEnd:
      return SymbolKind::kCode;
    default:
      return SymbolKind::kData;
  }
}

}  // namespace

BackendSymbol BackendSymbol::FromMiddleEnd(const MiddleEndSymbol& sym,
                                           const ObjectFile& file,
                                           const ManglingScheme& scheme) {
  SymbolKind kind = sym.IsText() ? SymbolKind::kCode : SymbolKind::kData;
  if (sym.kind() == MiddleEndSymbol::Kind::kPredefinedException) {
    return BackendSymbol(fmt::format("caml_exn_{}", sym.name()), kind, file);
  }
  std::string unit_symbol = scheme.UnitSymbolName(*sym.unit());
  std::optional<std::string> local = sym.LocalName();
  if (!local.has_value()) {
    return BackendSymbol(scheme.MangleModuleBlock(unit_symbol), kind, file);
  }
  return BackendSymbol(scheme.Mangle(unit_symbol, *local), kind, file);
}

BackendSymbol BackendSymbol::ModuleBlock(std::string_view ui_symbol,
                                         const ObjectFile& file) {
  return BackendSymbol(fmt::format("caml{}", ui_symbol), SymbolKind::kData,
                       file);
}

BackendSymbol BackendSymbol::Marker(std::string_view ui_symbol,
                                    UnitMarker marker, const ObjectFile& file,
                                    const ManglingScheme& scheme) {
  return BackendSymbol(scheme.Mangle(ui_symbol, UnitMarkerName(marker)),
                       MarkerKind(marker), file);
}

BackendSymbol BackendSymbol::MarkerOf(const ObjectFile& file, UnitMarker marker,
                                      const ManglingScheme& scheme) {
  if (file.kind() == ObjectFile::Kind::kRuntimeAndExternalLibs) {
    const std::string_view separator =
        marker == UnitMarker::kFrametable &&
                scheme.version() != ManglingVersion::kOcaml413
            ? scheme.separator()
            : std::string_view("__");
    return BackendSymbol(
        fmt::format("caml{}{}{}", PseudoUnitName(PseudoUnit::kSystem),
                    separator, UnitMarkerName(marker)),
        MarkerKind(marker), file);
  }
  std::string unit_symbol = scheme.UnitSymbolName(file.MarkerUnit());
  return Marker(unit_symbol, marker, file, scheme);
}

BackendSymbol BackendSymbol::OfStartup(StartupSymbol symbol, SymbolKind kind,
                                       const ObjectFile& file) {
  return BackendSymbol(std::string(StartupSymbolName(symbol)), kind, file);
}
BackendSymbol BackendSymbol::Program() {
  return OfStartup(StartupSymbol::kProgram, SymbolKind::kCode,
                   ObjectFile::Startup());
}
BackendSymbol BackendSymbol::Globals(const ObjectFile& file) {
  return OfStartup(StartupSymbol::kGlobals, SymbolKind::kData, file);
}
BackendSymbol BackendSymbol::GlobalsMap() {
  return OfStartup(StartupSymbol::kGlobalsMap, SymbolKind::kData,
                   ObjectFile::Startup());
}
BackendSymbol BackendSymbol::DataSegments() {
  return OfStartup(StartupSymbol::kDataSegments, SymbolKind::kData,
                   ObjectFile::Startup());
}
BackendSymbol BackendSymbol::CodeSegments() {
  return OfStartup(StartupSymbol::kCodeSegments, SymbolKind::kData,
                   ObjectFile::Startup());
}
BackendSymbol BackendSymbol::Frametable() {
  return OfStartup(StartupSymbol::kFrametable, SymbolKind::kData,
                   ObjectFile::Startup());
}
BackendSymbol BackendSymbol::PluginHeader() {
  return OfStartup(StartupSymbol::kPluginHeader, SymbolKind::kData,
                   ObjectFile::SharedStartup());
}
BackendSymbol BackendSymbol::Exception(PredefinedException exn) {
  return BackendSymbol(fmt::format("caml_exn_{}", PredefinedExceptionName(exn)),
                       SymbolKind::kData, ObjectFile::Startup());
}

BackendSymbol BackendSymbol::Curry(int arity, const ObjectFile& file) {
  return BackendSymbol(fmt::format("caml_curry{}", arity), SymbolKind::kCode,
                       file);
}
BackendSymbol BackendSymbol::CurryPartial(int arity, int num_args,
                                          const ObjectFile& file) {
  return BackendSymbol(fmt::format("caml_curry{}_{}", arity, num_args),
                       SymbolKind::kCode, file);
}
BackendSymbol BackendSymbol::CurryPartialApp(int arity, int num_args,
                                             const ObjectFile& file) {
  return BackendSymbol(fmt::format("caml_curry{}_{}_app", arity, num_args),
                       SymbolKind::kCode, file);
}
BackendSymbol BackendSymbol::Tuplify(int arity, const ObjectFile& file) {
  return BackendSymbol(fmt::format("caml_tuplify{}", arity), SymbolKind::kCode,
                       file);
}
BackendSymbol BackendSymbol::Apply(int arity, const ObjectFile& file) {
  return BackendSymbol(fmt::format("caml_apply{}", arity), SymbolKind::kCode,
                       file);
}
BackendSymbol BackendSymbol::Send(int arity, const ObjectFile& file) {
  return BackendSymbol(fmt::format("caml_send{}", arity), SymbolKind::kCode,
                       file);
}

BackendSymbol BackendSymbol::GlobalsInited() {
  return RuntimeData("caml_globals_inited");
}
BackendSymbol BackendSymbol::CallGc() {
  return RuntimeFunction("caml_call_gc");
}
BackendSymbol BackendSymbol::CallReallocStack() {
  return RuntimeFunction("caml_call_realloc_stack");
}
BackendSymbol BackendSymbol::RuntimeFunction(std::string_view c_name) {
  return BackendSymbol(std::string(c_name), SymbolKind::kCode,
                       ObjectFile::RuntimeAndExternalLibs());
}
BackendSymbol BackendSymbol::RuntimeData(std::string_view c_name) {
  return BackendSymbol(std::string(c_name), SymbolKind::kData,
                       ObjectFile::RuntimeAndExternalLibs());
}

}  // namespace camlsym
