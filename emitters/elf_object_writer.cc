#include "camlsym/emitters/elf_object_writer.h"

#include <elf.h>

#include <algorithm>
#include <cstring>
#include <deque>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "camlsym/emitters/status_macros.h"
#include "camlsym/emitters/x86_64/instruction_encoder.h"
#include "fmt/format.h"

namespace camlsym {

namespace {

// What a relocation or an assemble-time fixup computes (x86-64 psABI).
enum class FixupKind : uint8_t { kAbs64, kPcRel32, kPlt32, kRexGotPcRelX };

uint32_t ElfRelocationType(FixupKind kind) {
  switch (kind) {
    case FixupKind::kAbs64:
      return R_X86_64_64;
    case FixupKind::kPcRel32:
      return R_X86_64_PC32;
    case FixupKind::kPlt32:
      return R_X86_64_PLT32;
    case FixupKind::kRexGotPcRelX:
      return R_X86_64_REX_GOTPCRELX;
  }
  return R_X86_64_NONE;
}

FixupKind FromEncoder(X86_64FixupKind kind) {
  switch (kind) {
    case X86_64FixupKind::kPcRel32:
      return FixupKind::kPcRel32;
    case X86_64FixupKind::kPlt32:
      return FixupKind::kPlt32;
    case X86_64FixupKind::kRexGotPcRelX:
      return FixupKind::kRexGotPcRelX;
  }
  return FixupKind::kPcRel32;
}

// A field of a data fragment to fill with a name's address. Kept small: a
// large startup file has one per table entry.
struct Fixup {
  uint32_t offset = 0;  // bytes from the start of the fragment
  FixupKind kind = FixupKind::kAbs64;
  int32_t addend = 0;
  AsmName target;
};

// `a - b` stored in a data fragment, resolved after layout.
struct DifferenceFixup {
  uint32_t offset = 0;
  int width_bytes = 0;
  AsmDifference value;
};

// A run of bytes, an alignment, or a relaxable branch (MCFragment's kinds).
struct Fragment {
  enum class Kind { kData, kAlign, kBranch };
  Kind kind = Kind::kData;
  std::string bytes;
  std::vector<Fixup> fixups;
  std::vector<DifferenceFixup> differences;
  int alignment_bytes = 1;
  X86_64RelaxableBranch branch;
  bool branch_is_long = false;
  uint64_t address = 0;
  uint64_t size = 0;
};

struct SectionState {
  Section section;
  std::vector<Fragment> fragments;
  uint64_t alignment_bytes = 1;
  uint64_t size = 0;
  std::string contents;
  std::vector<Elf64_Rela> relocations;
  int elf_index = 0;
  bool needs_section_symbol = false;
};

// A place in a section: fragment and offset in it.
struct Location {
  int32_t section = -1;
  int32_t fragment = 0;
  uint32_t offset = 0;
};

// What the file says of one symbol. Kept small, as Fixup.
struct SymbolInfo {
  const AsmSymbol* symbol = nullptr;
  Location definition;  // section -1: not defined here
  Location size_end;    // `.size sym, . - sym`; section -1: none
  uint32_t elf_index = 0;
  bool global = false;
  std::optional<SymbolType> type;
  bool defined() const { return definition.section >= 0; }
};

// One FDE's CFA program, with locations to resolve after layout.
struct CfiEvent {
  Location where;
  Cfi cfi;
};
struct FrameDescription {
  Location start;
  Location end;
  std::vector<CfiEvent> events;
};

void AppendLittle(std::string& out, uint64_t v, int size) {
  for (int i = 0; i < size; ++i) {
    out += static_cast<char>(static_cast<uint8_t>(v >> (8 * i)));
  }
}

void AppendUleb128(std::string& out, uint64_t v) {
  do {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if (v != 0) b |= 0x80;
    out += static_cast<char>(b);
  } while (v != 0);
}

void AppendSleb128(std::string& out, int64_t v) {
  bool more = true;
  while (more) {
    uint8_t b = v & 0x7f;
    v >>= 7;
    if ((v == 0 && !(b & 0x40)) || (v == -1 && (b & 0x40))) {
      more = false;
    } else {
      b |= 0x80;
    }
    out += static_cast<char>(b);
  }
}

template <typename T>
void AppendStruct(std::string& out, const T& value) {
  out.append(reinterpret_cast<const char*>(&value), sizeof(T));
}

}  // namespace

// The state of one object file being assembled (MCAssembler and
// ELFObjectWriter in one).
class ElfAssembler {
 public:
  // Takes one directive; the first error is kept and later directives are
  // ignored.
  void Consume(Directive d) {
    if (status_.ok()) status_ = ConsumeOne(std::move(d));
  }
  // Lays out, resolves and writes the file.
  absl::StatusOr<std::string> Finish();

 private:
  absl::Status ConsumeOne(Directive d);
  absl::Status Layout();
  void ChooseSectionSymbols();
  void BuildSymbolTable();
  absl::Status ResolveFixups();
  void BuildEhFrame();
  std::string WriteFile();

  Fragment& DataFragment() {
    std::vector<Fragment>& fs = sections_[current_].fragments;
    if (fs.empty() || fs.back().kind != Fragment::Kind::kData) {
      fs.emplace_back();
    }
    return fs.back();
  }
  Location Here() {
    Fragment& f = DataFragment();
    return Location{
        current_,
        static_cast<int32_t>(sections_[current_].fragments.size()) - 1,
        static_cast<uint32_t>(f.bytes.size())};
  }
  uint64_t Address(const Location& l) const {
    return sections_[l.section].fragments[l.fragment].address + l.offset;
  }
  SymbolInfo& Info(const AsmSymbol* s) {
    auto [it, inserted] =
        symbol_index_.try_emplace(s, static_cast<uint32_t>(symbols_.size()));
    if (inserted) symbols_.push_back(SymbolInfo{s});
    return symbols_[it->second];
  }
  const SymbolInfo& InfoOf(const AsmSymbol* s) const {
    return symbols_[symbol_index_.at(s)];
  }
  absl::StatusOr<Location> Definition(const AsmName& name) const;
  absl::Status NeedSection() const {
    if (current_ >= 0) return absl::OkStatus();
    return absl::InvalidArgumentError(
        "ELF writer: a directive that emits bytes before any section");
  }
  // Whether a fixup becomes a relocation against its symbol (global,
  // undefined, or through the GOT or PLT), as GNU as decides.
  bool BySymbol(const Fixup& x) const {
    const auto* sym = std::get_if<const AsmSymbol*>(&x.target);
    if (sym == nullptr) return false;
    const SymbolInfo& info = InfoOf(*sym);
    return info.global || !info.defined() ||
           x.kind == FixupKind::kRexGotPcRelX || x.kind == FixupKind::kPlt32;
  }

  absl::Status status_;
  std::vector<SectionState> sections_;
  int32_t current_ = -1;
  absl::flat_hash_map<const AsmLabel*, Location> labels_;
  // Symbols in order of first mention, and their index there (a deque:
  // no reallocation spike when a large startup's symbols pile up).
  std::deque<SymbolInfo> symbols_;
  absl::flat_hash_map<const AsmSymbol*, uint32_t> symbol_index_;
  std::vector<FrameDescription> frames_;
  std::optional<FrameDescription> open_frame_;
  bool uses_got_ = false;
  // The symbol table (built by BuildSymbolTable).
  std::vector<Elf64_Sym> symtab_;
  std::string strtab_;
  uint32_t first_global_ = 0;
  std::vector<uint32_t> section_symbol_;
  // .eh_frame, built by BuildEhFrame (relocations against .text's symbol).
  std::string eh_frame_;
  std::vector<Elf64_Rela> eh_frame_relocations_;
};

absl::StatusOr<Location> ElfAssembler::Definition(const AsmName& name) const {
  if (const auto* l = std::get_if<const AsmLabel*>(&name)) {
    auto it = labels_.find(*l);
    if (it == labels_.end()) {
      return absl::FailedPreconditionError(
          fmt::format("ELF writer: label {} is referenced but never defined",
                      (*l)->encoded()));
    }
    return it->second;
  }
  auto it = symbol_index_.find(std::get<const AsmSymbol*>(name));
  if (it == symbol_index_.end() || !symbols_[it->second].defined()) {
    return absl::FailedPreconditionError(
        fmt::format("ELF writer: symbol {} is not defined in this file",
                    EncodedName(name)));
  }
  return symbols_[it->second].definition;
}

absl::Status ElfAssembler::ConsumeOne(Directive d) {
  if (const auto* s = std::get_if<SwitchSection>(&d)) {
    current_ = -1;
    for (size_t i = 0; i < sections_.size(); ++i) {
      if (sections_[i].section == s->section) current_ = static_cast<int>(i);
    }
    if (current_ < 0) {
      sections_.push_back(SectionState{s->section});
      current_ = static_cast<int>(sections_.size()) - 1;
    }
    return absl::OkStatus();
  }
  if (const auto* l = std::get_if<Label>(&d)) {
    CAMLSYM_RETURN_IF_ERROR(NeedSection());
    if (const auto* label = std::get_if<const AsmLabel*>(&l->name)) {
      labels_[*label] = Here();
    } else {
      Info(std::get<const AsmSymbol*>(l->name)).definition = Here();
    }
    return absl::OkStatus();
  }
  if (const auto* g = std::get_if<Global>(&d)) {
    Info(g->symbol).global = true;
    return absl::OkStatus();
  }
  if (const auto* t = std::get_if<Type>(&d)) {
    Info(t->symbol).type = t->type;
    return absl::OkStatus();
  }
  if (std::holds_alternative<Comment>(d)) return absl::OkStatus();
  CAMLSYM_RETURN_IF_ERROR(NeedSection());
  if (const auto* z = std::get_if<Size>(&d)) {
    Info(z->symbol).size_end = Here();
  } else if (const auto* a = std::get_if<Align>(&d)) {
    SectionState& s = sections_[current_];
    Fragment f;
    f.kind = Fragment::Kind::kAlign;
    f.alignment_bytes = a->bytes;
    s.fragments.push_back(std::move(f));
    s.alignment_bytes =
        std::max(s.alignment_bytes, static_cast<uint64_t>(a->bytes));
  } else if (const auto* v = std::get_if<Data>(&d)) {
    const int width = v->width == DataWidth::kQuad   ? 8
                      : v->width == DataWidth::kLong ? 4
                      : v->width == DataWidth::kWord ? 2
                                                     : 1;
    Fragment& f = DataFragment();
    if (const int64_t* n = std::get_if<int64_t>(&v->operand)) {
      AppendLittle(f.bytes, static_cast<uint64_t>(*n), width);
    } else if (const AsmName* name = std::get_if<AsmName>(&v->operand)) {
      if (width != 8) {
        return absl::InvalidArgumentError(fmt::format(
            "ELF writer: a {}-byte data directive naming {} (only .quad "
            "takes an address)",
            width, EncodedName(*name)));
      }
      if (const auto* sym = std::get_if<const AsmSymbol*>(name)) Info(*sym);
      f.fixups.push_back(Fixup{static_cast<uint32_t>(f.bytes.size()),
                               FixupKind::kAbs64, 0, *name});
      AppendLittle(f.bytes, 0, 8);
    } else {
      f.differences.push_back(
          DifferenceFixup{static_cast<uint32_t>(f.bytes.size()), width,
                          std::get<AsmDifference>(v->operand)});
      AppendLittle(f.bytes, 0, width);
    }
  } else if (const auto* s = std::get_if<Ascii>(&d)) {
    DataFragment().bytes += s->bytes;
  } else if (const auto* s = std::get_if<Space>(&d)) {
    if (s->size_bytes > 0) DataFragment().bytes.append(s->size_bytes, '\0');
  } else if (const auto* c = std::get_if<Cfi>(&d)) {
    if (c->kind == CfiKind::kStartProc) {
      if (open_frame_) {
        return absl::InvalidArgumentError(
            "ELF writer: .cfi_startproc inside another procedure");
      }
      open_frame_ = FrameDescription{Here(), {}, {}};
    } else if (!open_frame_) {
      return absl::InvalidArgumentError(
          "ELF writer: CFI directive outside .cfi_startproc/.cfi_endproc");
    } else if (c->kind == CfiKind::kEndProc) {
      open_frame_->end = Here();
      frames_.push_back(std::move(*open_frame_));
      open_frame_.reset();
    } else {
      open_frame_->events.push_back(CfiEvent{Here(), *c});
    }
  } else {
    const auto& insn = std::get<Instruction>(d);
    absl::StatusOr<X86_64Encoding> e = EncodeX86_64Instruction(insn);
    if (!e.ok()) return e.status();
    if (e->branch) {
      Fragment f;
      f.kind = Fragment::Kind::kBranch;
      f.branch = *e->branch;
      sections_[current_].fragments.push_back(std::move(f));
      return absl::OkStatus();
    }
    Fragment& f = DataFragment();
    if (e->fixup) {
      if (const auto* sym = std::get_if<const AsmSymbol*>(&e->fixup->target)) {
        Info(*sym);
      }
      f.fixups.push_back(
          Fixup{static_cast<uint32_t>(f.bytes.size() + e->fixup->offset_bytes),
                FromEncoder(e->fixup->kind),
                static_cast<int32_t>(e->fixup->addend), e->fixup->target});
    }
    f.bytes += e->bytes;
  }
  return absl::OkStatus();
}

absl::Status ElfAssembler::Layout() {
  // Relaxation as MCAssembler does it: every branch starts short and grows
  // when its target is out of reach, until nothing changes. Branches only
  // grow, so this ends.
  for (bool changed = true; changed;) {
    changed = false;
    for (SectionState& s : sections_) {
      uint64_t address = 0;
      for (Fragment& f : s.fragments) {
        f.address = address;
        switch (f.kind) {
          case Fragment::Kind::kData:
            f.size = f.bytes.size();
            break;
          case Fragment::Kind::kAlign:
            f.size = (f.alignment_bytes - address % f.alignment_bytes) %
                     f.alignment_bytes;
            break;
          case Fragment::Kind::kBranch:
            f.size = f.branch_is_long ? f.branch.long_opcode_size + 4 : 2;
            break;
        }
        address += f.size;
      }
      s.size = address;
    }
    for (size_t si = 0; si < sections_.size(); ++si) {
      for (Fragment& f : sections_[si].fragments) {
        if (f.kind != Fragment::Kind::kBranch || f.branch_is_long) continue;
        absl::StatusOr<Location> target = Definition(f.branch.target);
        if (!target.ok()) return target.status();
        if (target->section != static_cast<int>(si)) {
          return absl::InvalidArgumentError(fmt::format(
              "ELF writer: branch to {}, a label of another section",
              f.branch.target->encoded()));
        }
        const int64_t disp = static_cast<int64_t>(Address(*target)) -
                             static_cast<int64_t>(f.address + 2);
        if (disp < -128 || disp > 127) {
          f.branch_is_long = true;
          changed = true;
        }
      }
    }
  }
  for (SectionState& s : sections_) {
    s.contents.reserve(s.size);
    for (Fragment& f : s.fragments) {
      switch (f.kind) {
        case Fragment::Kind::kData:
          s.contents += f.bytes;
          std::string().swap(f.bytes);  // the contents hold them now
          break;
        case Fragment::Kind::kAlign:
          if (s.section.IsText()) {
            s.contents += X86_64NopPadding(f.size);
          } else {
            s.contents.append(f.size, '\0');
          }
          break;
        case Fragment::Kind::kBranch: {
          const int64_t target = Address(*Definition(f.branch.target));
          const int64_t end = f.address + f.size;
          if (f.branch_is_long) {
            s.contents.append(
                reinterpret_cast<const char*>(f.branch.long_opcode),
                f.branch.long_opcode_size);
            AppendLittle(s.contents, static_cast<uint64_t>(target - end), 4);
          } else {
            s.contents += static_cast<char>(f.branch.short_opcode);
            AppendLittle(s.contents, static_cast<uint64_t>(target - end), 1);
          }
          break;
        }
      }
    }
  }
  return absl::OkStatus();
}

void ElfAssembler::ChooseSectionSymbols() {
  // Relocations against labels and local symbols go through their
  // section's symbol, unless the assembler resolves them (PC-relative in
  // the same section); FDEs point into their code's section.
  for (size_t si = 0; si < sections_.size(); ++si) {
    for (const Fragment& f : sections_[si].fragments) {
      for (const Fixup& x : f.fixups) {
        if (x.kind == FixupKind::kRexGotPcRelX) uses_got_ = true;
        if (BySymbol(x)) continue;
        absl::StatusOr<Location> target = Definition(x.target);
        if (!target.ok()) continue;  // reported by ResolveFixups
        if (x.kind == FixupKind::kPcRel32 &&
            target->section == static_cast<int>(si)) {
          continue;
        }
        sections_[target->section].needs_section_symbol = true;
      }
    }
  }
  for (const FrameDescription& fde : frames_) {
    sections_[fde.start.section].needs_section_symbol = true;
  }
}

void ElfAssembler::BuildSymbolTable() {
  // Null, section symbols, locals, then globals (defined, then undefined),
  // as GNU as orders them.
  size_t names_bytes = 1 + sizeof("_GLOBAL_OFFSET_TABLE_");
  for (const SymbolInfo& info : symbols_) {
    names_bytes += info.symbol->encoded().size() + 1;
  }
  strtab_.reserve(names_bytes);
  strtab_.assign(1, '\0');
  symtab_.reserve(symbols_.size() + sections_.size() + 2);
  symtab_.assign(1, Elf64_Sym{});
  section_symbol_.assign(sections_.size(), 0);
  for (size_t i = 0; i < sections_.size(); ++i) {
    if (!sections_[i].needs_section_symbol) continue;
    Elf64_Sym sym{};
    sym.st_info = ELF64_ST_INFO(STB_LOCAL, STT_SECTION);
    sym.st_shndx = static_cast<uint16_t>(sections_[i].elf_index);
    section_symbol_[i] = static_cast<uint32_t>(symtab_.size());
    symtab_.push_back(sym);
  }
  auto add = [&](SymbolInfo& info, int bind) {
    Elf64_Sym sym{};
    sym.st_name = static_cast<uint32_t>(strtab_.size());
    strtab_ += info.symbol->encoded();
    strtab_ += '\0';
    int type = STT_NOTYPE;
    if (info.type) {
      type = *info.type == SymbolType::kFunction ? STT_FUNC : STT_OBJECT;
    }
    sym.st_info = ELF64_ST_INFO(bind, type);
    if (info.defined()) {
      sym.st_shndx =
          static_cast<uint16_t>(sections_[info.definition.section].elf_index);
      sym.st_value = Address(info.definition);
      if (info.size_end.section == info.definition.section) {
        sym.st_size = Address(info.size_end) - sym.st_value;
      }
    } else {
      sym.st_shndx = SHN_UNDEF;
    }
    info.elf_index = static_cast<uint32_t>(symtab_.size());
    symtab_.push_back(sym);
  };
  for (SymbolInfo& info : symbols_) {
    if (info.defined() && !info.global) add(info, STB_LOCAL);
  }
  first_global_ = static_cast<uint32_t>(symtab_.size());
  for (SymbolInfo& info : symbols_) {
    if (info.defined() && info.global) add(info, STB_GLOBAL);
  }
  for (SymbolInfo& info : symbols_) {
    if (!info.defined()) add(info, STB_GLOBAL);
  }
  if (uses_got_) {
    // GNU as names the GOT whenever a relocation goes through it.
    Elf64_Sym sym{};
    sym.st_name = static_cast<uint32_t>(strtab_.size());
    strtab_ += "_GLOBAL_OFFSET_TABLE_";
    strtab_ += '\0';
    sym.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE);
    symtab_.push_back(sym);
  }
}

absl::Status ElfAssembler::ResolveFixups() {
  for (size_t si = 0; si < sections_.size(); ++si) {
    SectionState& s = sections_[si];
    size_t fixups = 0;
    for (const Fragment& f : s.fragments) fixups += f.fixups.size();
    s.relocations.reserve(fixups);
    for (Fragment& f : s.fragments) {
      for (const DifferenceFixup& d : f.differences) {
        absl::StatusOr<Location> a = Definition(d.value.minuend());
        if (!a.ok()) return a.status();
        absl::StatusOr<Location> b = Definition(d.value.subtrahend());
        if (!b.ok()) return b.status();
        const int64_t v = static_cast<int64_t>(Address(*a)) -
                          static_cast<int64_t>(Address(*b));
        std::string bytes;
        AppendLittle(bytes, static_cast<uint64_t>(v), d.width_bytes);
        s.contents.replace(f.address + d.offset, d.width_bytes, bytes);
      }
      for (const Fixup& x : f.fixups) {
        const uint64_t place = f.address + x.offset;
        Elf64_Rela rela{};
        rela.r_offset = place;
        if (BySymbol(x)) {
          rela.r_addend = x.addend;
          rela.r_info = ELF64_R_INFO(
              InfoOf(std::get<const AsmSymbol*>(x.target)).elf_index,
              ElfRelocationType(x.kind));
          s.relocations.push_back(rela);
          continue;
        }
        absl::StatusOr<Location> target = Definition(x.target);
        if (!target.ok()) return target.status();
        const int64_t value = static_cast<int64_t>(Address(*target));
        if (x.kind == FixupKind::kPcRel32 &&
            target->section == static_cast<int>(si)) {
          // The assembler resolves it: S + A - P.
          const int64_t v = value + x.addend - static_cast<int64_t>(place);
          if (v < std::numeric_limits<int32_t>::min() ||
              v > std::numeric_limits<int32_t>::max()) {
            return absl::OutOfRangeError(fmt::format(
                "ELF writer: displacement to {} does not fit 32 bits",
                EncodedName(x.target)));
          }
          std::string bytes;
          AppendLittle(bytes, static_cast<uint64_t>(v), 4);
          s.contents.replace(place, 4, bytes);
          continue;
        }
        // Against the target's section symbol, as GNU as does for labels
        // and local symbols.
        rela.r_addend = x.addend + value;
        rela.r_info = ELF64_R_INFO(section_symbol_[target->section],
                                   ElfRelocationType(x.kind));
        s.relocations.push_back(rela);
      }
      std::vector<Fixup>().swap(f.fixups);
    }
  }
  return absl::OkStatus();
}

void ElfAssembler::BuildEhFrame() {
  if (frames_.empty()) return;
  std::string& out = eh_frame_;
  // The CIE GNU as writes for x86-64: version 1, augmentation "zR", code
  // alignment 1, data alignment -8, return address in column 16 (%rip),
  // FDE addresses PC-relative signed 4 bytes (0x1b); CFA = %rsp + 8,
  // return address at CFA - 8.
  std::string cie;
  AppendLittle(cie, 0, 4);  // CIE id
  cie += '\x01';
  cie.append("zR", 3);
  AppendUleb128(cie, 1);
  AppendSleb128(cie, -8);
  AppendUleb128(cie, 16);
  AppendUleb128(cie, 1);
  cie += '\x1b';
  cie += "\x0c\x07\x08";  // DW_CFA_def_cfa: r7 (rsp) ofs 8
  cie += "\x90\x01";      // DW_CFA_offset: r16 (rip) at cfa-8
  while ((cie.size() + 4) % 8 != 0) cie += '\0';  // DW_CFA_nop
  AppendLittle(out, cie.size(), 4);
  out += cie;
  for (const FrameDescription& fde : frames_) {
    // (out.size() is a multiple of 4 here: the CIE and each FDE end
    // aligned.)
    const uint64_t start = Address(fde.start);
    const uint64_t end = Address(fde.end);
    std::string body;
    AppendLittle(body, out.size() + 4, 4);  // back to the CIE
    const size_t pc_begin = out.size() + 4 + body.size();
    AppendLittle(body, 0, 4);  // pc_begin, relocated
    AppendLittle(body, end - start, 4);
    AppendUleb128(body, 0);  // no augmentation data
    uint64_t at = start;
    int64_t cfa_offset = 8;
    for (const CfiEvent& e : fde.events) {
      const uint64_t where = Address(e.where);
      if (where > at) {
        const uint64_t delta = where - at;
        if (delta < 64) {
          body += static_cast<char>(0x40 | delta);  // DW_CFA_advance_loc
        } else if (delta < 256) {
          body += '\x02';
          AppendLittle(body, delta, 1);
        } else if (delta < 65536) {
          body += '\x03';
          AppendLittle(body, delta, 2);
        } else {
          body += '\x04';
          AppendLittle(body, delta, 4);
        }
        at = where;
      }
      if (e.cfi.kind == CfiKind::kAdjustCfaOffset) {
        cfa_offset += e.cfi.offset_bytes;
        body += '\x0e';  // DW_CFA_def_cfa_offset
        AppendUleb128(body, static_cast<uint64_t>(cfa_offset));
      } else {
        const int64_t factored = e.cfi.offset_bytes / -8;
        if (e.cfi.dwarf_register < 64 && factored >= 0 &&
            e.cfi.offset_bytes % 8 == 0) {
          body += static_cast<char>(0x80 | e.cfi.dwarf_register);
          AppendUleb128(body, factored);
        } else {
          body += '\x11';  // DW_CFA_offset_extended_sf
          AppendUleb128(body, e.cfi.dwarf_register);
          AppendSleb128(body, factored);
        }
      }
    }
    // DW_CFA_nop up to 4 bytes, as GNU as pads each FDE; the last one up to
    // the section's 8-byte alignment.
    const size_t align = &fde == &frames_.back() ? 8 : 4;
    while ((out.size() + 4 + body.size()) % align != 0) body += '\0';
    AppendLittle(out, body.size(), 4);
    out += body;
    Elf64_Rela rela{};
    rela.r_offset = pc_begin;
    rela.r_info =
        ELF64_R_INFO(section_symbol_[fde.start.section], R_X86_64_PC32);
    rela.r_addend = static_cast<int64_t>(start);
    eh_frame_relocations_.push_back(rela);
  }
}

std::string ElfAssembler::WriteFile() {
  // Section header table: content sections, .eh_frame, the RELA sections,
  // .symtab, .strtab, .shstrtab. Each header points at its bytes, which are
  // copied once, into the file, and then released.
  struct Header {
    std::string name;
    Elf64_Shdr shdr{};
    const char* data = nullptr;
    size_t size = 0;
    std::function<void()> release = [] {};
  };
  std::vector<Header> headers(1);
  for (SectionState& s : sections_) {
    Header h;
    h.name = std::string(s.section.ElfName());
    h.shdr.sh_type = static_cast<uint32_t>(s.section.ElfType());
    h.shdr.sh_flags = s.section.ElfFlags();
    h.shdr.sh_addralign = s.alignment_bytes;
    h.shdr.sh_entsize = s.section.ElfEntrySizeBytes();
    h.data = s.contents.data();
    h.size = s.contents.size();
    h.release = [&s] { std::string().swap(s.contents); };
    headers.push_back(std::move(h));
  }
  int eh_frame_index = 0;
  if (!eh_frame_.empty()) {
    eh_frame_index = static_cast<int>(headers.size());
    Header h;
    h.name = ".eh_frame";
    h.shdr.sh_type = SHT_PROGBITS;
    h.shdr.sh_flags = SHF_ALLOC;
    h.shdr.sh_addralign = 8;
    h.data = eh_frame_.data();
    h.size = eh_frame_.size();
    headers.push_back(std::move(h));
  }
  const int symtab_index =
      static_cast<int>(headers.size() +
                       std::count_if(sections_.begin(), sections_.end(),
                                     [](const SectionState& s) {
                                       return !s.relocations.empty();
                                     }) +
                       (eh_frame_relocations_.empty() ? 0 : 1));
  auto add_rela = [&](std::string_view target_name, int target_index,
                      std::vector<Elf64_Rela>& relocations) {
    Header h;
    h.name = fmt::format(".rela{}", target_name);
    h.shdr.sh_type = SHT_RELA;
    h.shdr.sh_flags = SHF_INFO_LINK;
    h.shdr.sh_link = static_cast<uint32_t>(symtab_index);
    h.shdr.sh_info = static_cast<uint32_t>(target_index);
    h.shdr.sh_addralign = 8;
    h.shdr.sh_entsize = sizeof(Elf64_Rela);
    h.data = reinterpret_cast<const char*>(relocations.data());
    h.size = relocations.size() * sizeof(Elf64_Rela);
    h.release = [&relocations] { std::vector<Elf64_Rela>().swap(relocations); };
    headers.push_back(std::move(h));
  };
  for (size_t i = 0; i < sections_.size(); ++i) {
    if (!sections_[i].relocations.empty()) {
      add_rela(sections_[i].section.ElfName(), sections_[i].elf_index,
               sections_[i].relocations);
    }
  }
  if (!eh_frame_relocations_.empty()) {
    add_rela(".eh_frame", eh_frame_index, eh_frame_relocations_);
  }
  {
    Header h;
    h.name = ".symtab";
    h.shdr.sh_type = SHT_SYMTAB;
    h.shdr.sh_link = static_cast<uint32_t>(symtab_index + 1);
    h.shdr.sh_info = first_global_;
    h.shdr.sh_addralign = 8;
    h.shdr.sh_entsize = sizeof(Elf64_Sym);
    h.data = reinterpret_cast<const char*>(symtab_.data());
    h.size = symtab_.size() * sizeof(Elf64_Sym);
    h.release = [this] { std::vector<Elf64_Sym>().swap(symtab_); };
    headers.push_back(std::move(h));
  }
  {
    Header h;
    h.name = ".strtab";
    h.shdr.sh_type = SHT_STRTAB;
    h.shdr.sh_addralign = 1;
    h.data = strtab_.data();
    h.size = strtab_.size();
    h.release = [this] { std::string().swap(strtab_); };
    headers.push_back(std::move(h));
  }
  std::string names(1, '\0');
  {
    Header h;
    h.name = ".shstrtab";
    h.shdr.sh_type = SHT_STRTAB;
    h.shdr.sh_addralign = 1;
    headers.push_back(std::move(h));
  }
  for (size_t i = 1; i < headers.size(); ++i) {
    headers[i].shdr.sh_name = static_cast<uint32_t>(names.size());
    names += headers[i].name;
    names += '\0';
  }
  headers.back().data = names.data();
  headers.back().size = names.size();

  // The file: ELF header, section contents, section header table.
  size_t total = sizeof(Elf64_Ehdr) + headers.size() * sizeof(Elf64_Shdr);
  for (const Header& h : headers) total += h.size + h.shdr.sh_addralign;
  std::string out;
  out.reserve(total);
  out.resize(sizeof(Elf64_Ehdr));
  for (size_t i = 1; i < headers.size(); ++i) {
    Header& h = headers[i];
    const uint64_t align = h.shdr.sh_addralign > 0 ? h.shdr.sh_addralign : 1;
    out.append((align - out.size() % align) % align, '\0');
    h.shdr.sh_offset = out.size();
    h.shdr.sh_size = h.size;
    out.append(h.data, h.size);
    h.release();
  }
  out.append((8 - out.size() % 8) % 8, '\0');
  Elf64_Ehdr ehdr{};
  std::memcpy(ehdr.e_ident, ELFMAG, SELFMAG);
  ehdr.e_ident[EI_CLASS] = ELFCLASS64;
  ehdr.e_ident[EI_DATA] = ELFDATA2LSB;
  ehdr.e_ident[EI_VERSION] = EV_CURRENT;
  ehdr.e_ident[EI_OSABI] = ELFOSABI_NONE;
  ehdr.e_type = ET_REL;
  ehdr.e_machine = EM_X86_64;
  ehdr.e_version = EV_CURRENT;
  ehdr.e_shoff = out.size();
  ehdr.e_ehsize = sizeof(Elf64_Ehdr);
  ehdr.e_shentsize = sizeof(Elf64_Shdr);
  ehdr.e_shnum = static_cast<uint16_t>(headers.size());
  ehdr.e_shstrndx = static_cast<uint16_t>(headers.size() - 1);
  std::memcpy(out.data(), &ehdr, sizeof(ehdr));
  for (const Header& h : headers) AppendStruct(out, h.shdr);
  return out;
}

absl::StatusOr<std::string> ElfAssembler::Finish() {
  if (!status_.ok()) return status_;
  if (open_frame_) {
    return absl::InvalidArgumentError(
        "ELF writer: .cfi_startproc without .cfi_endproc");
  }
  CAMLSYM_RETURN_IF_ERROR(Layout());
  for (size_t i = 0; i < sections_.size(); ++i) {
    sections_[i].elf_index = static_cast<int>(i) + 1;
  }
  ChooseSectionSymbols();
  BuildSymbolTable();
  CAMLSYM_RETURN_IF_ERROR(ResolveFixups());
  BuildEhFrame();
  // The symbol table and relocations now hold all the file needs of the
  // symbols: drop the bookkeeping before the file is assembled.
  std::deque<SymbolInfo>().swap(symbols_);
  absl::flat_hash_map<const AsmSymbol*, uint32_t>().swap(symbol_index_);
  return WriteFile();
}

ElfObjectStreamer::ElfObjectStreamer()
    : assembler_(std::make_unique<ElfAssembler>()) {}

ElfObjectStreamer::~ElfObjectStreamer() = default;

bool ElfObjectStreamer::Supports(const TargetSystem& target) {
  return target.architecture() == Architecture::kX86_64 &&
         target.object_format() == ObjectFormat::kElf;
}

absl::StatusOr<std::unique_ptr<ElfObjectStreamer>> ElfObjectStreamer::Create(
    const TargetSystem& target) {
  if (!Supports(target)) {
    return absl::UnimplementedError(
        fmt::format("the integrated assembler writes x86-64 ELF only, not {}",
                    target.Triple()));
  }
  return std::unique_ptr<ElfObjectStreamer>(new ElfObjectStreamer());
}

void ElfObjectStreamer::Consume(Directive d) {
  assembler_->Consume(std::move(d));
}

absl::StatusOr<std::string> ElfObjectStreamer::Finish() {
  return assembler_->Finish();
}

absl::StatusOr<std::string> WriteElfObject(const TargetSystem& target,
                                           const DirectiveStream& stream) {
  absl::StatusOr<std::unique_ptr<ElfObjectStreamer>> streamer =
      ElfObjectStreamer::Create(target);
  if (!streamer.ok()) return streamer.status();
  for (const Directive& d : stream.directives()) (*streamer)->Consume(d);
  return (*streamer)->Finish();
}

}  // namespace camlsym
