#include "emitters/elf_object_writer.h"

#include <elf.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "emitters/x86_64/instruction_encoder.h"
#include "fmt/format.h"

namespace camlsym {

namespace {

// What a relocation or an assemble-time fixup computes (x86-64 psABI).
enum class FixupKind { kAbs64, kPcRel32, kPlt32, kRexGotPcRelX };

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

// A field of a data fragment to fill with a name's address.
struct Fixup {
  int64_t offset = 0;  // bytes from the start of the fragment
  FixupKind kind = FixupKind::kAbs64;
  AsmName target;
  int64_t addend = 0;
};

// `a - b` stored in a data fragment, resolved after layout.
struct DifferenceFixup {
  int64_t offset = 0;
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
  int section = -1;
  int fragment = 0;
  int64_t offset = 0;
};

struct SymbolInfo {
  std::optional<Location> definition;
  bool global = false;
  std::optional<SymbolType> type;
  std::optional<Location> size_end;  // `.size sym, . - sym`
  int order = 0;                     // first mention
  uint32_t elf_index = 0;
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

class ElfAssembler {
 public:
  absl::Status Consume(const std::vector<Directive>& directives);
  absl::Status Layout();
  absl::StatusOr<std::string> Write();

 private:
  Fragment& DataFragment() {
    std::vector<Fragment>& fs = sections_[current_].fragments;
    if (fs.empty() || fs.back().kind != Fragment::Kind::kData) {
      fs.emplace_back();
    }
    return fs.back();
  }
  Location Here() {
    Fragment& f = DataFragment();
    return Location{current_,
                    static_cast<int>(sections_[current_].fragments.size()) - 1,
                    static_cast<int64_t>(f.bytes.size())};
  }
  uint64_t Address(const Location& l) const {
    return sections_[l.section].fragments[l.fragment].address + l.offset;
  }
  SymbolInfo& Info(const AsmSymbol* s) {
    auto [it, inserted] = symbols_.try_emplace(s);
    if (inserted) {
      it->second.order = static_cast<int>(symbol_order_.size());
      symbol_order_.push_back(s);
    }
    return it->second;
  }
  absl::StatusOr<Location> Definition(const AsmName& name) const;
  absl::Status NeedSection() const {
    if (current_ >= 0) return absl::OkStatus();
    return absl::InvalidArgumentError(
        "ELF writer: a directive that emits bytes before any section");
  }
  absl::Status ResolveFixups();
  void BuildEhFrame();

  std::vector<SectionState> sections_;
  int current_ = -1;
  absl::flat_hash_map<const AsmLabel*, Location> labels_;
  absl::flat_hash_map<const AsmSymbol*, SymbolInfo> symbols_;
  std::vector<const AsmSymbol*> symbol_order_;
  std::vector<FrameDescription> frames_;
  std::optional<FrameDescription> open_frame_;
  // Relocations whose symbol index is known only once the symbol table is
  // built: (relocation section, index in it) and what they name.
  struct SymbolReloc {
    size_t section;
    size_t index;
    const AsmSymbol* symbol;
  };
  struct SectionReloc {
    size_t section;
    size_t index;
    int target_section;
  };
  std::vector<SymbolReloc> symbol_relocations_;
  std::vector<SectionReloc> section_relocations_;
  bool uses_got_ = false;
  // .eh_frame, built by EhFrame() (relocations against .text's symbol).
  std::string eh_frame_;
  std::vector<Elf64_Rela> eh_frame_relocations_;
  std::vector<int> eh_frame_targets_;
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
  auto it = symbols_.find(std::get<const AsmSymbol*>(name));
  if (it == symbols_.end() || !it->second.definition) {
    return absl::FailedPreconditionError(
        fmt::format("ELF writer: symbol {} is not defined in this file",
                    EncodedName(name)));
  }
  return *it->second.definition;
}

absl::Status ElfAssembler::Consume(const std::vector<Directive>& directives) {
  for (const Directive& d : directives) {
    if (const auto* s = std::get_if<SwitchSection>(&d)) {
      current_ = -1;
      for (size_t i = 0; i < sections_.size(); ++i) {
        if (sections_[i].section == s->section) current_ = static_cast<int>(i);
      }
      if (current_ < 0) {
        sections_.push_back(SectionState{s->section});
        current_ = static_cast<int>(sections_.size()) - 1;
      }
    } else if (const auto* l = std::get_if<Label>(&d)) {
      if (absl::Status st = NeedSection(); !st.ok()) return st;
      if (const auto* label = std::get_if<const AsmLabel*>(&l->name)) {
        labels_[*label] = Here();
      } else {
        Info(std::get<const AsmSymbol*>(l->name)).definition = Here();
      }
    } else if (const auto* g = std::get_if<Global>(&d)) {
      Info(g->symbol).global = true;
    } else if (const auto* t = std::get_if<Type>(&d)) {
      Info(t->symbol).type = t->type;
    } else if (const auto* z = std::get_if<Size>(&d)) {
      if (absl::Status st = NeedSection(); !st.ok()) return st;
      Info(z->symbol).size_end = Here();
    } else if (const auto* a = std::get_if<Align>(&d)) {
      if (absl::Status st = NeedSection(); !st.ok()) return st;
      SectionState& s = sections_[current_];
      Fragment f;
      f.kind = Fragment::Kind::kAlign;
      f.alignment_bytes = a->bytes;
      s.fragments.push_back(std::move(f));
      if (static_cast<uint64_t>(a->bytes) > s.alignment_bytes) {
        s.alignment_bytes = a->bytes;
      }
    } else if (const auto* v = std::get_if<Data>(&d)) {
      if (absl::Status st = NeedSection(); !st.ok()) return st;
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
        f.fixups.push_back(Fixup{static_cast<int64_t>(f.bytes.size()),
                                 FixupKind::kAbs64, *name, 0});
        AppendLittle(f.bytes, 0, 8);
      } else {
        f.differences.push_back(
            DifferenceFixup{static_cast<int64_t>(f.bytes.size()), width,
                            std::get<AsmDifference>(v->operand)});
        AppendLittle(f.bytes, 0, width);
      }
    } else if (const auto* s = std::get_if<Ascii>(&d)) {
      if (absl::Status st = NeedSection(); !st.ok()) return st;
      DataFragment().bytes += s->bytes;
    } else if (const auto* s = std::get_if<Space>(&d)) {
      if (absl::Status st = NeedSection(); !st.ok()) return st;
      if (s->size_bytes > 0) DataFragment().bytes.append(s->size_bytes, '\0');
    } else if (const auto* c = std::get_if<Cfi>(&d)) {
      if (absl::Status st = NeedSection(); !st.ok()) return st;
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
    } else if (std::holds_alternative<Comment>(d)) {
      continue;
    } else {
      if (absl::Status st = NeedSection(); !st.ok()) return st;
      const auto& insn = std::get<Instruction>(d);
      absl::StatusOr<X86_64Encoding> e = EncodeX86_64Instruction(insn);
      if (!e.ok()) return e.status();
      if (e->branch) {
        Fragment f;
        f.kind = Fragment::Kind::kBranch;
        f.branch = *e->branch;
        sections_[current_].fragments.push_back(std::move(f));
        continue;
      }
      Fragment& f = DataFragment();
      if (e->fixup) {
        if (const auto* sym =
                std::get_if<const AsmSymbol*>(&e->fixup->target)) {
          Info(*sym);
        }
        f.fixups.push_back(Fixup{
            static_cast<int64_t>(f.bytes.size()) + e->fixup->offset_bytes,
            FromEncoder(e->fixup->kind), e->fixup->target, e->fixup->addend});
      }
      f.bytes += e->bytes;
    }
  }
  if (open_frame_) {
    return absl::InvalidArgumentError(
        "ELF writer: .cfi_startproc without .cfi_endproc");
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
  return ResolveFixups();
}

absl::Status ElfAssembler::ResolveFixups() {
  for (size_t si = 0; si < sections_.size(); ++si) {
    SectionState& s = sections_[si];
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
        const AsmSymbol* const* sym = std::get_if<const AsmSymbol*>(&x.target);
        const bool by_symbol =
            sym != nullptr &&
            (symbols_.at(*sym).global || !symbols_.at(*sym).definition ||
             x.kind == FixupKind::kRexGotPcRelX || x.kind == FixupKind::kPlt32);
        Elf64_Rela rela{};
        rela.r_offset = place;
        if (x.kind == FixupKind::kRexGotPcRelX) uses_got_ = true;
        if (by_symbol) {
          rela.r_addend = x.addend;
          rela.r_info = ELF64_R_INFO(0, ElfRelocationType(x.kind));
          symbol_relocations_.push_back({si, s.relocations.size(), *sym});
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
          std::string bytes;
          AppendLittle(bytes, static_cast<uint64_t>(v), 4);
          s.contents.replace(place, 4, bytes);
          continue;
        }
        // Against the target's section symbol, as GNU as does for labels
        // and local symbols.
        sections_[target->section].needs_section_symbol = true;
        rela.r_addend = x.addend + value;
        rela.r_info = ELF64_R_INFO(0, ElfRelocationType(x.kind));
        section_relocations_.push_back(
            {si, s.relocations.size(), target->section});
        s.relocations.push_back(rela);
      }
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
    sections_[fde.start.section].needs_section_symbol = true;
    Elf64_Rela rela{};
    rela.r_offset = pc_begin;
    rela.r_info = ELF64_R_INFO(0, R_X86_64_PC32);
    rela.r_addend = static_cast<int64_t>(start);
    eh_frame_relocations_.push_back(rela);
    eh_frame_targets_.push_back(fde.start.section);
  }
}

absl::StatusOr<std::string> ElfAssembler::Write() {
  BuildEhFrame();

  // Section header table: content sections, .eh_frame, the RELA sections,
  // .symtab, .strtab, .shstrtab.
  struct Header {
    std::string name;
    Elf64_Shdr shdr{};
    const std::string* contents = nullptr;
    std::string owned;
  };
  std::vector<Header> headers(1);
  for (SectionState& s : sections_) {
    s.elf_index = static_cast<int>(headers.size());
    Header h;
    h.name = std::string(s.section.ElfName());
    h.shdr.sh_type = static_cast<uint32_t>(s.section.ElfType());
    h.shdr.sh_flags = s.section.ElfFlags();
    h.shdr.sh_addralign = s.alignment_bytes;
    h.shdr.sh_entsize = s.section.ElfEntrySizeBytes();
    h.contents = &s.contents;
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
    h.contents = &eh_frame_;
    headers.push_back(std::move(h));
  }

  // The symbol table: null, section symbols, locals, then globals (defined,
  // then undefined).
  std::string strtab(1, '\0');
  std::vector<Elf64_Sym> symtab(1);
  std::vector<uint32_t> section_symbol(sections_.size(), 0);
  for (size_t i = 0; i < sections_.size(); ++i) {
    if (!sections_[i].needs_section_symbol) continue;
    Elf64_Sym sym{};
    sym.st_info = ELF64_ST_INFO(STB_LOCAL, STT_SECTION);
    sym.st_shndx = static_cast<uint16_t>(sections_[i].elf_index);
    section_symbol[i] = static_cast<uint32_t>(symtab.size());
    symtab.push_back(sym);
  }
  auto add_symbol = [&](const AsmSymbol* s, SymbolInfo& info, int bind) {
    Elf64_Sym sym{};
    sym.st_name = static_cast<uint32_t>(strtab.size());
    strtab += s->encoded();
    strtab += '\0';
    int type = STT_NOTYPE;
    if (info.type) {
      type = *info.type == SymbolType::kFunction ? STT_FUNC : STT_OBJECT;
    }
    sym.st_info = ELF64_ST_INFO(bind, type);
    if (info.definition) {
      sym.st_shndx =
          static_cast<uint16_t>(sections_[info.definition->section].elf_index);
      sym.st_value = Address(*info.definition);
      if (info.size_end && info.size_end->section == info.definition->section) {
        sym.st_size = Address(*info.size_end) - sym.st_value;
      }
    } else {
      sym.st_shndx = SHN_UNDEF;
    }
    info.elf_index = static_cast<uint32_t>(symtab.size());
    symtab.push_back(sym);
  };
  for (const AsmSymbol* s : symbol_order_) {
    SymbolInfo& info = symbols_.at(s);
    if (info.definition && !info.global) add_symbol(s, info, STB_LOCAL);
  }
  const uint32_t first_global = static_cast<uint32_t>(symtab.size());
  for (const AsmSymbol* s : symbol_order_) {
    SymbolInfo& info = symbols_.at(s);
    if (info.definition && info.global) add_symbol(s, info, STB_GLOBAL);
  }
  for (const AsmSymbol* s : symbol_order_) {
    SymbolInfo& info = symbols_.at(s);
    if (!info.definition) add_symbol(s, info, STB_GLOBAL);
  }
  if (uses_got_) {
    // GNU as names the GOT whenever a relocation goes through it.
    Elf64_Sym sym{};
    sym.st_name = static_cast<uint32_t>(strtab.size());
    strtab += "_GLOBAL_OFFSET_TABLE_";
    strtab += '\0';
    sym.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE);
    symtab.push_back(sym);
  }
  auto set_symbol = [](Elf64_Rela& r, uint32_t index) {
    r.r_info = ELF64_R_INFO(index, ELF64_R_TYPE(r.r_info));
  };
  for (const SymbolReloc& r : symbol_relocations_) {
    set_symbol(sections_[r.section].relocations[r.index],
               symbols_.at(r.symbol).elf_index);
  }
  for (const SectionReloc& r : section_relocations_) {
    set_symbol(sections_[r.section].relocations[r.index],
               section_symbol[r.target_section]);
  }
  for (size_t i = 0; i < eh_frame_relocations_.size(); ++i) {
    set_symbol(eh_frame_relocations_[i], section_symbol[eh_frame_targets_[i]]);
  }

  const int symtab_index =
      static_cast<int>(headers.size() +
                       std::count_if(sections_.begin(), sections_.end(),
                                     [](const SectionState& s) {
                                       return !s.relocations.empty();
                                     }) +
                       (eh_frame_relocations_.empty() ? 0 : 1));
  auto add_rela = [&](const std::string& target_name, int target_index,
                      const std::vector<Elf64_Rela>& relocations) {
    Header h;
    h.name = ".rela" + target_name;
    h.shdr.sh_type = SHT_RELA;
    h.shdr.sh_flags = SHF_INFO_LINK;
    h.shdr.sh_link = static_cast<uint32_t>(symtab_index);
    h.shdr.sh_info = static_cast<uint32_t>(target_index);
    h.shdr.sh_addralign = 8;
    h.shdr.sh_entsize = sizeof(Elf64_Rela);
    for (const Elf64_Rela& r : relocations) AppendStruct(h.owned, r);
    headers.push_back(std::move(h));
  };
  for (SectionState& s : sections_) {
    if (!s.relocations.empty()) {
      add_rela(std::string(s.section.ElfName()), s.elf_index, s.relocations);
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
    h.shdr.sh_info = first_global;
    h.shdr.sh_addralign = 8;
    h.shdr.sh_entsize = sizeof(Elf64_Sym);
    for (const Elf64_Sym& s : symtab) AppendStruct(h.owned, s);
    headers.push_back(std::move(h));
  }
  {
    Header h;
    h.name = ".strtab";
    h.shdr.sh_type = SHT_STRTAB;
    h.shdr.sh_addralign = 1;
    h.owned = std::move(strtab);
    headers.push_back(std::move(h));
  }
  Header shstrtab;
  shstrtab.name = ".shstrtab";
  shstrtab.shdr.sh_type = SHT_STRTAB;
  shstrtab.shdr.sh_addralign = 1;
  headers.push_back(std::move(shstrtab));
  std::string names(1, '\0');
  for (size_t i = 1; i < headers.size(); ++i) {
    headers[i].shdr.sh_name = static_cast<uint32_t>(names.size());
    names += headers[i].name;
    names += '\0';
  }
  headers.back().owned = names;

  // The file: ELF header, section contents, section header table.
  std::string out(sizeof(Elf64_Ehdr), '\0');
  for (size_t i = 1; i < headers.size(); ++i) {
    Header& h = headers[i];
    const std::string& data = h.contents != nullptr ? *h.contents : h.owned;
    const uint64_t align = h.shdr.sh_addralign > 0 ? h.shdr.sh_addralign : 1;
    out.append((align - out.size() % align) % align, '\0');
    h.shdr.sh_offset = out.size();
    h.shdr.sh_size = data.size();
    out += data;
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

}  // namespace

absl::StatusOr<std::string> WriteElfObject(const TargetSystem& target,
                                           const DirectiveStream& stream) {
  if (target.architecture() != Architecture::kX86_64 ||
      target.object_format() != ObjectFormat::kElf) {
    return absl::UnimplementedError(
        fmt::format("the integrated assembler writes x86-64 ELF only, not {}",
                    target.OcamlArchitectureName()));
  }
  ElfAssembler assembler;
  if (absl::Status s = assembler.Consume(stream.directives()); !s.ok()) {
    return s;
  }
  if (absl::Status s = assembler.Layout(); !s.ok()) return s;
  return assembler.Write();
}

}  // namespace camlsym
