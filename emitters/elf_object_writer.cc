#include "camlsym/emitters/elf_object_writer.h"

#include <elf.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "fmt/format.h"

namespace camlsym {

namespace {

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

// The symbol table and what the relocations need of it.
struct SymbolTable {
  std::vector<Elf64_Sym> symbols;
  std::string names;
  uint32_t first_global = 0;
  // Per assembled section: the index of its section symbol, 0 if none.
  std::vector<uint32_t> section_symbol;
  // Per assembled symbol, in AssembledObject::symbols order.
  std::vector<uint32_t> symbol_index;
};

// `.eh_frame`'s place in the file and what its symbols need.
struct EhFrameSymbols {
  /// Section header index of `.eh_frame`; 0 if there is none.
  int section_index = 0;
  /// Where GNU as puts `.eh_frame`'s `$d` (after the CIE), on targets with
  /// mapping symbols.
  uint64_t data_mapping_address = 0;
};

// Null, section symbols, mapping symbols, locals, then globals (defined,
// then undefined), then `_GLOBAL_OFFSET_TABLE_` if referenced, as GNU as
// orders them. Section symbols exist for sections that relocations or FDEs
// point into, or for every section when \p all_section_symbols.
SymbolTable BuildSymbolTable(const AssembledObject& object,
                             const EhFrameSymbols& eh_frame,
                             bool all_section_symbols) {
  SymbolTable t;
  std::vector<bool> needs_section_symbol(object.sections.size(),
                                         all_section_symbols);
  for (const AssembledSection& s : object.sections) {
    for (const RelocationEntry& r : s.relocations) {
      if (r.symbol < 0) needs_section_symbol[r.section] = true;
    }
  }
  for (const AssembledFrame& f : object.frames) {
    needs_section_symbol[f.section] = true;
  }
  size_t names_bytes = 1 + sizeof("_GLOBAL_OFFSET_TABLE_");
  for (const AssembledSymbol& s : object.symbols) {
    names_bytes += s.symbol->encoded().size() + 1;
  }
  t.names.reserve(names_bytes);
  t.names.assign(1, '\0');
  t.symbols.reserve(object.symbols.size() + object.sections.size() +
                    object.mapping_symbols.size() + 4);
  t.symbols.assign(1, Elf64_Sym{});
  t.section_symbol.assign(object.sections.size(), 0);
  for (size_t i = 0; i < object.sections.size(); ++i) {
    if (!needs_section_symbol[i]) continue;
    Elf64_Sym sym{};
    sym.st_info = ELF64_ST_INFO(STB_LOCAL, STT_SECTION);
    sym.st_shndx = static_cast<uint16_t>(i + 1);
    t.section_symbol[i] = static_cast<uint32_t>(t.symbols.size());
    t.symbols.push_back(sym);
  }
  if (all_section_symbols && eh_frame.section_index != 0) {
    Elf64_Sym sym{};
    sym.st_info = ELF64_ST_INFO(STB_LOCAL, STT_SECTION);
    sym.st_shndx = static_cast<uint16_t>(eh_frame.section_index);
    t.symbols.push_back(sym);
  }
  auto add_mapping = [&](int shndx, uint64_t address, char kind) {
    Elf64_Sym sym{};
    sym.st_name = static_cast<uint32_t>(t.names.size());
    t.names += '$';
    t.names += kind;
    t.names += '\0';
    sym.st_info = ELF64_ST_INFO(STB_LOCAL, STT_NOTYPE);
    sym.st_shndx = static_cast<uint16_t>(shndx);
    sym.st_value = address;
    t.symbols.push_back(sym);
  };
  for (const MappingSymbol& m : object.mapping_symbols) {
    add_mapping(m.section + 1, m.address, m.kind);
  }
  if (object.uses_mapping_symbols && eh_frame.section_index != 0) {
    add_mapping(eh_frame.section_index, eh_frame.data_mapping_address, 'd');
  }
  t.symbol_index.assign(object.symbols.size(), 0);
  auto add = [&](size_t i, int bind) {
    const AssembledSymbol& s = object.symbols[i];
    Elf64_Sym sym{};
    sym.st_name = static_cast<uint32_t>(t.names.size());
    t.names += s.symbol->encoded();
    t.names += '\0';
    int type = STT_NOTYPE;
    if (s.type) {
      type = *s.type == SymbolType::kFunction ? STT_FUNC : STT_OBJECT;
    }
    sym.st_info = ELF64_ST_INFO(bind, type);
    if (s.section >= 0) {
      sym.st_shndx = static_cast<uint16_t>(s.section + 1);
      sym.st_value = s.value;
      sym.st_size = s.size_bytes;
    } else {
      sym.st_shndx = SHN_UNDEF;
    }
    t.symbol_index[i] = static_cast<uint32_t>(t.symbols.size());
    t.symbols.push_back(sym);
  };
  const size_t n = object.symbols.size();
  for (size_t i = 0; i < n; ++i) {
    const AssembledSymbol& s = object.symbols[i];
    if (s.section >= 0 && !s.global) add(i, STB_LOCAL);
  }
  t.first_global = static_cast<uint32_t>(t.symbols.size());
  for (size_t i = 0; i < n; ++i) {
    const AssembledSymbol& s = object.symbols[i];
    if (s.section >= 0 && s.global) add(i, STB_GLOBAL);
  }
  for (size_t i = 0; i < n; ++i) {
    if (object.symbols[i].section < 0) add(i, STB_GLOBAL);
  }
  if (object.references_got) {
    Elf64_Sym sym{};
    sym.st_name = static_cast<uint32_t>(t.names.size());
    t.names += "_GLOBAL_OFFSET_TABLE_";
    t.names += '\0';
    sym.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE);
    t.symbols.push_back(sym);
  }
  return t;
}

// `.eh_frame`: one CIE, then one FDE per procedure with its CFA program,
// padded as GNU as pads them (the CIE and each FDE to 4 bytes, the last
// FDE to 8).
struct EhFrame {
  std::string bytes;
  // Bytes of the CIE before its padding, length field included.
  uint64_t cie_end = 0;
  // The FDEs' pc_begin fields: kFixupData32PcRel against a section.
  std::vector<RelocationEntry> relocations;
};

EhFrame BuildEhFrame(const std::vector<AssembledFrame>& frames,
                     const CommonInformationEntry& c) {
  EhFrame eh;
  if (frames.empty()) return eh;
  std::string& out = eh.bytes;
  std::string cie;
  AppendLittleEndian(cie, 0, 4);  // CIE id
  cie += '\x01';                  // version
  cie.append("zR", 3);
  AppendUleb128(cie, c.code_alignment_bytes);
  AppendSleb128(cie, c.data_alignment_bytes);
  AppendUleb128(cie, c.return_address_register);
  AppendUleb128(cie, 1);  // augmentation data: the FDE pointer encoding
  cie += '\x1b';          // DW_EH_PE_pcrel | DW_EH_PE_sdata4
  cie += c.initial_instructions;
  eh.cie_end = 4 + cie.size();
  while ((cie.size() + 4) % 4 != 0) cie += '\0';  // DW_CFA_nop
  AppendLittleEndian(out, cie.size(), 4);
  out += cie;
  for (const AssembledFrame& fde : frames) {
    // (out.size() is a multiple of 4 here: the CIE and each FDE end
    // aligned.)
    std::string body;
    AppendLittleEndian(body, out.size() + 4, 4);  // back to the CIE
    const size_t pc_begin = out.size() + 4 + body.size();
    AppendLittleEndian(body, 0, 4);  // pc_begin, relocated
    AppendLittleEndian(body, fde.end - fde.start, 4);
    AppendUleb128(body, 0);  // no augmentation data
    uint64_t at = fde.start;
    int64_t cfa_offset = c.initial_cfa_offset_bytes;
    for (const FrameEvent& e : fde.events) {
      if (e.address > at) {
        const uint64_t delta = (e.address - at) / c.code_alignment_bytes;
        if (delta < 64) {
          body += static_cast<char>(0x40 | delta);  // DW_CFA_advance_loc
        } else if (delta < 256) {
          body += '\x02';
          AppendLittleEndian(body, delta, 1);
        } else if (delta < 65536) {
          body += '\x03';
          AppendLittleEndian(body, delta, 2);
        } else {
          body += '\x04';
          AppendLittleEndian(body, delta, 4);
        }
        at = e.address;
      }
      if (e.cfi.kind == CfiKind::kAdjustCfaOffset) {
        cfa_offset += e.cfi.offset_bytes;
        body += '\x0e';  // DW_CFA_def_cfa_offset
        AppendUleb128(body, static_cast<uint64_t>(cfa_offset));
      } else {
        const int64_t factored = e.cfi.offset_bytes / c.data_alignment_bytes;
        if (e.cfi.dwarf_register < 64 && factored >= 0 &&
            e.cfi.offset_bytes % c.data_alignment_bytes == 0) {
          body += static_cast<char>(0x80 | e.cfi.dwarf_register);
          AppendUleb128(body, factored);
        } else {
          body += '\x11';  // DW_CFA_offset_extended_sf
          AppendUleb128(body, e.cfi.dwarf_register);
          AppendSleb128(body, factored);
        }
      }
    }
    const size_t align = &fde == &frames.back() ? 8 : 4;
    while ((out.size() + 4 + body.size()) % align != 0) body += '\0';
    AppendLittleEndian(out, body.size(), 4);
    out += body;
    eh.relocations.push_back(RelocationEntry{pc_begin, kFixupData32PcRel, -1,
                                             fde.section,
                                             static_cast<int64_t>(fde.start)});
  }
  return eh;
}

}  // namespace

absl::StatusOr<std::string> ElfObjectWriter::Write(
    AssembledObject object) const {
  EhFrame eh_frame = BuildEhFrame(object.frames, cie_);
  EhFrameSymbols eh_frame_symbols;
  if (!eh_frame.bytes.empty()) {
    eh_frame_symbols.section_index =
        static_cast<int>(object.sections.size()) + 1;
    eh_frame_symbols.data_mapping_address = eh_frame.cie_end;
  }
  SymbolTable symtab = BuildSymbolTable(object, eh_frame_symbols,
                                        target_.KeepsAllSectionSymbols());
  std::vector<AssembledFrame>().swap(object.frames);

  std::deque<AssembledSymbol>().swap(object.symbols);
  auto to_rela = [&](std::vector<RelocationEntry>& entries,
                     std::vector<Elf64_Rela>& out) -> absl::Status {
    out.reserve(entries.size());
    for (const RelocationEntry& r : entries) {
      absl::StatusOr<uint32_t> type =
          target_.RelocationType(r.kind, r.symbol >= 0);
      if (!type.ok()) return type.status();
      Elf64_Rela rela{};
      rela.r_offset = r.offset;
      rela.r_addend = r.addend;
      const uint32_t sym = r.symbol >= 0 ? symtab.symbol_index[r.symbol]
                                         : symtab.section_symbol[r.section];
      rela.r_info = ELF64_R_INFO(sym, *type);
      out.push_back(rela);
    }
    std::vector<RelocationEntry>().swap(entries);
    return absl::OkStatus();
  };
  std::vector<std::vector<Elf64_Rela>> relocations(object.sections.size());
  for (size_t i = 0; i < object.sections.size(); ++i) {
    if (absl::Status s =
            to_rela(object.sections[i].relocations, relocations[i]);
        !s.ok()) {
      return s;
    }
  }
  std::vector<Elf64_Rela> eh_frame_relocations;
  if (absl::Status s = to_rela(eh_frame.relocations, eh_frame_relocations);
      !s.ok()) {
    return s;
  }

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
  for (AssembledSection& s : object.sections) {
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
  if (!eh_frame.bytes.empty()) {
    eh_frame_index = static_cast<int>(headers.size());
    Header h;
    h.name = ".eh_frame";
    h.shdr.sh_type = SHT_PROGBITS;
    h.shdr.sh_flags = SHF_ALLOC;
    h.shdr.sh_addralign = 8;
    h.data = eh_frame.bytes.data();
    h.size = eh_frame.bytes.size();
    headers.push_back(std::move(h));
  }
  const int symtab_index =
      static_cast<int>(headers.size() +
                       std::count_if(relocations.begin(), relocations.end(),
                                     [](const std::vector<Elf64_Rela>& r) {
                                       return !r.empty();
                                     }) +
                       (eh_frame_relocations.empty() ? 0 : 1));
  auto add_rela = [&](std::string_view target_name, int target_index,
                      std::vector<Elf64_Rela>& rela) {
    Header h;
    h.name = fmt::format(".rela{}", target_name);
    h.shdr.sh_type = SHT_RELA;
    h.shdr.sh_flags = SHF_INFO_LINK;
    h.shdr.sh_link = static_cast<uint32_t>(symtab_index);
    h.shdr.sh_info = static_cast<uint32_t>(target_index);
    h.shdr.sh_addralign = 8;
    h.shdr.sh_entsize = sizeof(Elf64_Rela);
    h.data = reinterpret_cast<const char*>(rela.data());
    h.size = rela.size() * sizeof(Elf64_Rela);
    h.release = [&rela] { std::vector<Elf64_Rela>().swap(rela); };
    headers.push_back(std::move(h));
  };
  for (size_t i = 0; i < object.sections.size(); ++i) {
    if (!relocations[i].empty()) {
      add_rela(object.sections[i].section.ElfName(), static_cast<int>(i) + 1,
               relocations[i]);
    }
  }
  if (!eh_frame_relocations.empty()) {
    add_rela(".eh_frame", eh_frame_index, eh_frame_relocations);
  }
  {
    Header h;
    h.name = ".symtab";
    h.shdr.sh_type = SHT_SYMTAB;
    h.shdr.sh_link = static_cast<uint32_t>(symtab_index + 1);
    h.shdr.sh_info = symtab.first_global;
    h.shdr.sh_addralign = 8;
    h.shdr.sh_entsize = sizeof(Elf64_Sym);
    h.data = reinterpret_cast<const char*>(symtab.symbols.data());
    h.size = symtab.symbols.size() * sizeof(Elf64_Sym);
    h.release = [&symtab] { std::vector<Elf64_Sym>().swap(symtab.symbols); };
    headers.push_back(std::move(h));
  }
  {
    Header h;
    h.name = ".strtab";
    h.shdr.sh_type = SHT_STRTAB;
    h.shdr.sh_addralign = 1;
    h.data = symtab.names.data();
    h.size = symtab.names.size();
    h.release = [&symtab] { std::string().swap(symtab.names); };
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
  ehdr.e_machine = target_.Machine();
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

}  // namespace camlsym
