#include "camlsym/emitters/startup.h"

#include <initializer_list>
#include <memory>

#include "camlsym/emitters/aarch64/generic_functions.h"
#include "camlsym/emitters/frame_table.h"
#include "camlsym/emitters/output_streamer.h"
#include "camlsym/emitters/status_macros.h"
#include "camlsym/emitters/x86_64/generic_functions.h"
#include "camlsym/symbols/backend_symbol.h"
#include "camlsym/symbols/middle_end_symbol.h"
#include "fmt/format.h"

namespace camlsym {

namespace {

constexpr int kWordBytes = 8;
constexpr int64_t kBlack = 0x300;
constexpr int kStringTag = 252;
constexpr int kObjectTag = 248;

int64_t BlackHeader(int tag, int64_t size_words) {
  return (size_words << 10) | kBlack | tag;
}

// Shared state of one startup file's emission.
class StartupWriter {
 public:
  StartupWriter(DirectiveStream& out, StartupTarget& code)
      : out_(out),
        ctx_(out.context()),
        file_(ctx_.current_file()),
        scheme_(ctx_.syntax().scheme()),
        globalize_data_(code.GlobalizesDataSymbols()) {}

  AsmSymbol* Sym(BackendSymbol b) {
    return ctx_.GetOrCreateSymbol(std::move(b));
  }

  // `.globl sym; sym:` in the current section.
  absl::Status GlobalLabel(const BackendSymbol& b) {
    AsmSymbol* sym = Sym(b);
    out_.Append(Global{sym});
    return out_.Define(*sym);
  }

  // emit.mlp begin_assembly after the target's constants.
  absl::Status BeginMarkers() {
    out_.SwitchTo(Section::Data());
    CAMLSYM_RETURN_IF_ERROR(GlobalLabel(
        BackendSymbol::MarkerOf(file_, UnitMarker::kDataBegin, scheme_)));
    out_.SwitchTo(Section::Text());
    return GlobalLabel(
        BackendSymbol::MarkerOf(file_, UnitMarker::kCodeBegin, scheme_));
  }

  // cmm_helpers.ml generic_functions: curry (descending; tuplify after, as
  // negative numbers), then send, then apply (both descending).
  absl::Status GenericFunctions(StartupTarget& code, const std::set<int>& curry,
                                const std::set<int>& send,
                                const std::set<int>& apply) {
    for (auto it = curry.rbegin(); it != curry.rend(); ++it) {
      CAMLSYM_RETURN_IF_ERROR(code.EmitCurry(out_, *it));
    }
    for (auto it = send.rbegin(); it != send.rend(); ++it) {
      CAMLSYM_RETURN_IF_ERROR(code.EmitSend(out_, *it));
    }
    for (auto it = apply.rbegin(); it != apply.rend(); ++it) {
      CAMLSYM_RETURN_IF_ERROR(code.EmitApply(out_, *it));
    }
    return absl::OkStatus();
  }

  // The fields of an OCaml string after its header (cmm_helpers.ml
  // emit_string_constant_fields): bytes, padding, last byte = padding size.
  void StringFields(std::string_view bytes) {
    const int64_t pad =
        kWordBytes - 1 - static_cast<int64_t>(bytes.size()) % kWordBytes;
    out_.Append(Ascii{std::string(bytes)});
    out_.Append(Space{pad});
    out_.Byte(pad);
  }

  int64_t StringHeader(std::string_view bytes) {
    return BlackHeader(
        kStringTag,
        (static_cast<int64_t>(bytes.size()) + kWordBytes) / kWordBytes);
  }

  // A global OCaml string constant (cmm_helpers.ml global_data).
  absl::Status GlobalString(const BackendSymbol& b, std::string_view bytes) {
    DataPrologue();
    out_.Quad(StringHeader(bytes));
    CAMLSYM_RETURN_IF_ERROR(GlobalLabel(b));
    StringFields(bytes);
    return absl::OkStatus();
  }

  // OCaml 5's empty `caml<file>.gc_roots` table of the startup file itself
  // (cmm_helpers.ml emit_preallocated_blocks, before the generic
  // functions); 5.x Dynlink requires it of a plugin. Nothing for 4.13.
  absl::Status OwnGcRoots(formats::OcamlVersion version) {
    if (version == formats::OcamlVersion::k413) return absl::OkStatus();
    DataPrologue();
    CAMLSYM_RETURN_IF_ERROR(GlobalLabel(
        BackendSymbol::MarkerOf(file_, UnitMarker::kGcRoots, scheme_)));
    out_.Quad(int64_t{0});
    return absl::OkStatus();
  }

  // Every Cdata item starts with `.data; .align 8` (emit.mlp `data`).
  void DataPrologue() {
    out_.SwitchTo(Section::Data());
    out_.AlignTo(kWordBytes);
  }

  // cmm_helpers.ml predef_exception: for each predefined exception, a
  // block of tag Object_tag holding its name and its negative identifier.
  absl::Status PredefinedExceptions() {
    int64_t i = 0;
    for (PredefinedException exn : kPredefinedExceptions) {
      const BackendSymbol name_sym = BackendSymbol::FromMiddleEnd(
          MiddleEndSymbol::AnonymousConstant(file_.MarkerUnit(),
                                             ++const_counter_),
          file_, scheme_);
      std::string_view name = PredefinedExceptionName(exn);
      DataPrologue();
      out_.Quad(BlackHeader(kObjectTag, 2));
      CAMLSYM_RETURN_IF_ERROR(GlobalLabel(BackendSymbol::Exception(exn)));
      out_.Quad(AsmName(Sym(name_sym)));
      out_.Quad(2 * (-i - 1) + 1);  // Val_long(-i - 1)
      out_.Quad(StringHeader(name));
      if (globalize_data_) out_.Append(Global{Sym(name_sym)});
      CAMLSYM_RETURN_IF_ERROR(out_.Define(*Sym(name_sym)));
      StringFields(name);
      ++i;
    }
    return absl::OkStatus();
  }

  // A global table of symbols ended by 0 (caml_globals, caml_frametable,
  // the segment tables): BeginTable(), an Entry() for each symbol, then
  // EndTable(). The entries are emitted as they come, never gathered: a
  // large link has tens of thousands of them per table.
  absl::Status BeginTable(const BackendSymbol& table) {
    DataPrologue();
    return GlobalLabel(table);
  }
  void Entry(BackendSymbol e) { out_.Quad(AsmName(Sym(std::move(e)))); }
  void EndTable() { out_.Quad(int64_t{0}); }

  // The markers \p markers of each of \p modules as table entries, module
  // by module.
  void ModuleEntries(const std::vector<LinkedModule>& modules,
                     std::initializer_list<UnitMarker> markers) {
    for (const LinkedModule& m : modules) {
      for (UnitMarker marker : markers) Entry(m.Marker(marker, scheme_));
    }
  }

  // A table of each module's \p marker: caml_globals.
  absl::Status ModuleTable(const BackendSymbol& table,
                           const std::vector<LinkedModule>& modules,
                           UnitMarker marker) {
    CAMLSYM_RETURN_IF_ERROR(BeginTable(table));
    ModuleEntries(modules, {marker});
    EndTable();
    return absl::OkStatus();
  }

  std::vector<BackendSymbol> UnitMarkers(
      const std::vector<LinkedModule>& modules, UnitMarker marker) const {
    std::vector<BackendSymbol> out;
    out.reserve(modules.size());
    for (const LinkedModule& m : modules) {
      out.push_back(m.Marker(marker, scheme_));
    }
    return out;
  }

  // asmlink.ml force_linking_of_startup: Cdata [Csymbol_address
  // "caml_startup"].
  void ForceLinkingOfStartup() {
    DataPrologue();
    out_.Quad(AsmName(Sym(BackendSymbol::RuntimeFunction("caml_startup"))));
  }

  // emit.mlp end_assembly: code_end, data_end, then this file's frame
  // table and the stack note.
  absl::Status EndMarkers(const StartupTarget& code) {
    out_.SwitchTo(Section::Text());
    CAMLSYM_RETURN_IF_ERROR(GlobalLabel(
        BackendSymbol::MarkerOf(file_, UnitMarker::kCodeEnd, scheme_)));
    out_.SwitchTo(Section::Data());
    out_.Quad(int64_t{0});
    CAMLSYM_RETURN_IF_ERROR(GlobalLabel(
        BackendSymbol::MarkerOf(file_, UnitMarker::kDataEnd, scheme_)));
    out_.Quad(int64_t{0});
    out_.AlignTo(kWordBytes);
    const BackendSymbol frametable =
        BackendSymbol::MarkerOf(file_, UnitMarker::kFrametable, scheme_);
    CAMLSYM_RETURN_IF_ERROR(GlobalLabel(frametable));
    CAMLSYM_RETURN_IF_ERROR(
        EmitFrameTable(out_, code.frame_descriptors(), kWordBytes));
    if (code.TypesFrametable()) {
      out_.Append(Type{Sym(frametable), SymbolType::kObject});
    }
    out_.Append(Size{Sym(frametable)});
    out_.SwitchTo(Section::NoteGnuStack());
    return absl::OkStatus();
  }

  const ObjectFile& file() const { return file_; }
  const ManglingScheme& scheme() const { return scheme_; }

 private:
  DirectiveStream& out_;
  AsmContext& ctx_;
  ObjectFile file_;
  ManglingScheme scheme_;
  bool globalize_data_;
  int64_t const_counter_ = 0;
};

absl::Status CheckFile(const DirectiveStream& out, ObjectFile::Kind kind) {
  if (out.context().current_file().kind() != kind) {
    return absl::FailedPreconditionError(fmt::format(
        "the directive stream writes {}, not the {}",
        out.context().current_file(),
        kind == ObjectFile::Kind::kStartup ? "startup" : "shared startup"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<StartupTarget>> MakeStartupTarget(
    const TargetSystem& target, const ObjectFile& file) {
  switch (target.architecture()) {
    case Architecture::kX86_64:
      if (target.ocaml_version() == formats::OcamlVersion::k51 ||
          target.ocaml_version() == formats::OcamlVersion::k52) {
        return absl::UnimplementedError(fmt::format(
            "camlsym writes the x86-64 startup of OCaml 4.13, 5.3 and 5.4, "
            "not of OCaml {}",
            formats::VersionName(target.ocaml_version())));
      }
      return std::make_unique<X86_64StartupTarget>(
          file, target.mangling_scheme(), target.ocaml_version());
    case Architecture::kAArch64:
      if (target.ocaml_version() == formats::OcamlVersion::k51 ||
          target.ocaml_version() == formats::OcamlVersion::k52) {
        return absl::UnimplementedError(fmt::format(
            "camlsym writes the AArch64 startup of OCaml 4.13, 5.3 and 5.4, "
            "not of OCaml {}",
            formats::VersionName(target.ocaml_version())));
      }
      // proc.ml `last_int_register`: x0..x7 on macOS, x0..x15 elsewhere.
      return std::make_unique<AArch64StartupTarget>(
          file, target.mangling_scheme(),
          target.os() == OperatingSystem::kMacOS ? 8 : 16,
          target.ocaml_version());
  }
  return absl::UnimplementedError(
      fmt::format("no startup code emitter for {}", target.Triple()));
}

absl::Status EmitStartup(const StartupSpec& spec, StartupTarget& code,
                         DirectiveStream& out) {
  CAMLSYM_RETURN_IF_ERROR(CheckFile(out, ObjectFile::Kind::kStartup));
  // Each module's entry, gc_roots, data and code begin and end, and frame
  // table, beside the startup's own few hundred symbols.
  out.context().ReserveSymbols(out.context().num_symbols() +
                               7 * spec.modules.size() + 256);
  StartupWriter w(out, code);
  CAMLSYM_RETURN_IF_ERROR(code.EmitBeginAssembly(out));
  CAMLSYM_RETURN_IF_ERROR(w.BeginMarkers());
  CAMLSYM_RETURN_IF_ERROR(
      code.EmitProgram(out, w.UnitMarkers(spec.modules, UnitMarker::kEntry)));
  CAMLSYM_RETURN_IF_ERROR(w.OwnGcRoots(spec.ocaml_version));
  std::set<int> apply = spec.apply;
  apply.insert(2);
  apply.insert(3);
  CAMLSYM_RETURN_IF_ERROR(
      w.GenericFunctions(code, spec.curry, spec.send, apply));
  CAMLSYM_RETURN_IF_ERROR(w.PredefinedExceptions());
  CAMLSYM_RETURN_IF_ERROR(w.ModuleTable(BackendSymbol::Globals(w.file()),
                                        spec.modules, UnitMarker::kGcRoots));
  CAMLSYM_RETURN_IF_ERROR(
      w.GlobalString(BackendSymbol::GlobalsMap(), spec.globals_map));
  // caml_data_segments: begin and end of the startup's data, then of each
  // unit's.
  CAMLSYM_RETURN_IF_ERROR(w.BeginTable(BackendSymbol::DataSegments()));
  for (UnitMarker m : {UnitMarker::kDataBegin, UnitMarker::kDataEnd}) {
    w.Entry(BackendSymbol::MarkerOf(w.file(), m, w.scheme()));
  }
  w.ModuleEntries(spec.modules, {UnitMarker::kDataBegin, UnitMarker::kDataEnd});
  w.EndTable();
  // caml_code_segments: the same for code, after the hot code of
  // -function-sections.
  CAMLSYM_RETURN_IF_ERROR(w.BeginTable(BackendSymbol::CodeSegments()));
  if (spec.function_sections) {
    for (UnitMarker m : {UnitMarker::kCodeBegin, UnitMarker::kCodeEnd}) {
      w.Entry(BackendSymbol::Marker(PseudoUnitName(PseudoUnit::kHot), m,
                                    ObjectFile::RuntimeAndExternalLibs(),
                                    w.scheme()));
    }
  }
  for (UnitMarker m : {UnitMarker::kCodeBegin, UnitMarker::kCodeEnd}) {
    w.Entry(BackendSymbol::MarkerOf(w.file(), m, w.scheme()));
  }
  w.ModuleEntries(spec.modules, {UnitMarker::kCodeBegin, UnitMarker::kCodeEnd});
  w.EndTable();
  // caml_frametable: the startup's, the runtime's, then each unit's.
  CAMLSYM_RETURN_IF_ERROR(w.BeginTable(BackendSymbol::Frametable()));
  w.Entry(
      BackendSymbol::MarkerOf(w.file(), UnitMarker::kFrametable, w.scheme()));
  w.Entry(BackendSymbol::MarkerOf(ObjectFile::RuntimeAndExternalLibs(),
                                  UnitMarker::kFrametable, w.scheme()));
  w.ModuleEntries(spec.modules, {UnitMarker::kFrametable});
  w.EndTable();
  if (spec.force_link_startup) w.ForceLinkingOfStartup();
  return w.EndMarkers(code);
}

absl::Status EmitSharedStartup(const SharedStartupSpec& spec,
                               StartupTarget& code, DirectiveStream& out) {
  CAMLSYM_RETURN_IF_ERROR(CheckFile(out, ObjectFile::Kind::kSharedStartup));
  StartupWriter w(out, code);
  CAMLSYM_RETURN_IF_ERROR(code.EmitBeginAssembly(out));
  CAMLSYM_RETURN_IF_ERROR(w.BeginMarkers());
  CAMLSYM_RETURN_IF_ERROR(w.OwnGcRoots(spec.ocaml_version));
  CAMLSYM_RETURN_IF_ERROR(
      w.GenericFunctions(code, spec.curry, spec.send, spec.apply));
  CAMLSYM_RETURN_IF_ERROR(
      w.GlobalString(BackendSymbol::PluginHeader(), spec.plugin_header));
  CAMLSYM_RETURN_IF_ERROR(w.ModuleTable(BackendSymbol::Globals(w.file()),
                                        spec.units, UnitMarker::kGcRoots));
  return w.EndMarkers(code);
}

namespace {

template <typename Spec, typename EmitFn>
absl::StatusOr<OutputFiles> MakeFiles(const TargetSystem& target,
                                      const Spec& spec, ObjectFile file,
                                      EmitFn emit, OutputForms forms) {
  if (spec.ocaml_version != target.ocaml_version()) {
    return absl::InvalidArgumentError(fmt::format(
        "the startup of OCaml {} units asked of a target for OCaml {}",
        formats::VersionName(spec.ocaml_version),
        formats::VersionName(target.ocaml_version())));
  }
  absl::StatusOr<std::unique_ptr<StartupTarget>> code =
      MakeStartupTarget(target, file);
  if (!code.ok()) return code.status();
  absl::StatusOr<std::unique_ptr<OutputStreamer>> streamer =
      OutputStreamer::Create(target, forms);
  if (!streamer.ok()) return streamer.status();
  AsmContext ctx(target.asm_syntax(), file);
  DirectiveStream out(ctx, streamer->get());
  CAMLSYM_RETURN_IF_ERROR(emit(spec, **code, out));
  return (*streamer)->Finish();
}

}  // namespace

absl::StatusOr<std::string> MakeStartupFile(const TargetSystem& target,
                                            const StartupSpec& spec) {
  absl::StatusOr<OutputFiles> files =
      MakeStartupFiles(target, spec, {.assembly = true});
  if (!files.ok()) return files.status();
  return std::move(files->assembly);
}

absl::StatusOr<std::string> MakeSharedStartupFile(
    const TargetSystem& target, const SharedStartupSpec& spec) {
  absl::StatusOr<OutputFiles> files =
      MakeSharedStartupFiles(target, spec, {.assembly = true});
  if (!files.ok()) return files.status();
  return std::move(files->assembly);
}

absl::StatusOr<OutputFiles> MakeStartupFiles(const TargetSystem& target,
                                             const StartupSpec& spec,
                                             OutputForms forms) {
  return MakeFiles(target, spec, ObjectFile::Startup(), EmitStartup, forms);
}

absl::StatusOr<OutputFiles> MakeSharedStartupFiles(
    const TargetSystem& target, const SharedStartupSpec& spec,
    OutputForms forms) {
  return MakeFiles(target, spec, ObjectFile::SharedStartup(), EmitSharedStartup,
                   forms);
}

}  // namespace camlsym
