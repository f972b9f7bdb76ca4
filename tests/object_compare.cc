#include "camlsym/tests/object_compare.h"

#include <gelf.h>
#include <libelf.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fmt/format.h"

namespace camlsym::testing {

namespace {

struct ElfCloser {
  void operator()(Elf* e) const { elf_end(e); }
};

absl::Status Invalid(const std::string& path, std::string_view what) {
  return absl::InvalidArgumentError(fmt::format("{}: {}", path, what));
}

std::string LibelfError() { return elf_errmsg(elf_errno()); }

// ---------------------------------------------------------------------------
// Names of ELF values, for the report.

#define CAMLSYM_NAME(x) \
  { x, #x }

struct Named {
  uint32_t value;
  const char* name;
};

// The relocation types a relocatable object holds (the dynamic ones are
// the linker's); others print as their number.
constexpr Named kX86_64Relocations[] = {
    CAMLSYM_NAME(R_X86_64_NONE),
    CAMLSYM_NAME(R_X86_64_64),
    CAMLSYM_NAME(R_X86_64_PC32),
    CAMLSYM_NAME(R_X86_64_GOT32),
    CAMLSYM_NAME(R_X86_64_PLT32),
    CAMLSYM_NAME(R_X86_64_GOTPCREL),
    CAMLSYM_NAME(R_X86_64_32),
    CAMLSYM_NAME(R_X86_64_32S),
    CAMLSYM_NAME(R_X86_64_16),
    CAMLSYM_NAME(R_X86_64_PC16),
    CAMLSYM_NAME(R_X86_64_8),
    CAMLSYM_NAME(R_X86_64_PC8),
    CAMLSYM_NAME(R_X86_64_DTPOFF64),
    CAMLSYM_NAME(R_X86_64_TLSGD),
    CAMLSYM_NAME(R_X86_64_TLSLD),
    CAMLSYM_NAME(R_X86_64_DTPOFF32),
    CAMLSYM_NAME(R_X86_64_GOTTPOFF),
    CAMLSYM_NAME(R_X86_64_TPOFF32),
    CAMLSYM_NAME(R_X86_64_PC64),
    CAMLSYM_NAME(R_X86_64_GOTOFF64),
    CAMLSYM_NAME(R_X86_64_GOTPC32),
    CAMLSYM_NAME(R_X86_64_GOT64),
    CAMLSYM_NAME(R_X86_64_GOTPCREL64),
    CAMLSYM_NAME(R_X86_64_GOTPC64),
    CAMLSYM_NAME(R_X86_64_PLTOFF64),
    CAMLSYM_NAME(R_X86_64_SIZE32),
    CAMLSYM_NAME(R_X86_64_SIZE64),
    CAMLSYM_NAME(R_X86_64_GOTPC32_TLSDESC),
    CAMLSYM_NAME(R_X86_64_TLSDESC_CALL),
    CAMLSYM_NAME(R_X86_64_GOTPCRELX),
    CAMLSYM_NAME(R_X86_64_REX_GOTPCRELX),
};

constexpr Named kAArch64Relocations[] = {
    CAMLSYM_NAME(R_AARCH64_NONE),
    CAMLSYM_NAME(R_AARCH64_ABS64),
    CAMLSYM_NAME(R_AARCH64_ABS32),
    CAMLSYM_NAME(R_AARCH64_ABS16),
    CAMLSYM_NAME(R_AARCH64_PREL64),
    CAMLSYM_NAME(R_AARCH64_PREL32),
    CAMLSYM_NAME(R_AARCH64_PREL16),
    CAMLSYM_NAME(R_AARCH64_MOVW_UABS_G0),
    CAMLSYM_NAME(R_AARCH64_MOVW_UABS_G0_NC),
    CAMLSYM_NAME(R_AARCH64_MOVW_UABS_G1),
    CAMLSYM_NAME(R_AARCH64_MOVW_UABS_G1_NC),
    CAMLSYM_NAME(R_AARCH64_MOVW_UABS_G2),
    CAMLSYM_NAME(R_AARCH64_MOVW_UABS_G2_NC),
    CAMLSYM_NAME(R_AARCH64_MOVW_UABS_G3),
    CAMLSYM_NAME(R_AARCH64_MOVW_SABS_G0),
    CAMLSYM_NAME(R_AARCH64_MOVW_SABS_G1),
    CAMLSYM_NAME(R_AARCH64_MOVW_SABS_G2),
    CAMLSYM_NAME(R_AARCH64_LD_PREL_LO19),
    CAMLSYM_NAME(R_AARCH64_ADR_PREL_LO21),
    CAMLSYM_NAME(R_AARCH64_ADR_PREL_PG_HI21),
    CAMLSYM_NAME(R_AARCH64_ADR_PREL_PG_HI21_NC),
    CAMLSYM_NAME(R_AARCH64_ADD_ABS_LO12_NC),
    CAMLSYM_NAME(R_AARCH64_LDST8_ABS_LO12_NC),
    CAMLSYM_NAME(R_AARCH64_TSTBR14),
    CAMLSYM_NAME(R_AARCH64_CONDBR19),
    CAMLSYM_NAME(R_AARCH64_JUMP26),
    CAMLSYM_NAME(R_AARCH64_CALL26),
    CAMLSYM_NAME(R_AARCH64_LDST16_ABS_LO12_NC),
    CAMLSYM_NAME(R_AARCH64_LDST32_ABS_LO12_NC),
    CAMLSYM_NAME(R_AARCH64_LDST64_ABS_LO12_NC),
    CAMLSYM_NAME(R_AARCH64_LDST128_ABS_LO12_NC),
    CAMLSYM_NAME(R_AARCH64_GOT_LD_PREL19),
    CAMLSYM_NAME(R_AARCH64_ADR_GOT_PAGE),
    CAMLSYM_NAME(R_AARCH64_LD64_GOT_LO12_NC),
    CAMLSYM_NAME(R_AARCH64_LD64_GOTPAGE_LO15),
    CAMLSYM_NAME(R_AARCH64_TLSIE_ADR_GOTTPREL_PAGE21),
    CAMLSYM_NAME(R_AARCH64_TLSIE_LD64_GOTTPREL_LO12_NC),
    CAMLSYM_NAME(R_AARCH64_TLSLE_ADD_TPREL_HI12),
    CAMLSYM_NAME(R_AARCH64_TLSLE_ADD_TPREL_LO12_NC),
};

constexpr Named kMachines[] = {
    CAMLSYM_NAME(EM_X86_64), CAMLSYM_NAME(EM_AARCH64), CAMLSYM_NAME(EM_386),
    CAMLSYM_NAME(EM_ARM),    CAMLSYM_NAME(EM_RISCV),   CAMLSYM_NAME(EM_PPC64),
    CAMLSYM_NAME(EM_S390),
};

constexpr Named kSectionTypes[] = {
    CAMLSYM_NAME(SHT_NULL),           CAMLSYM_NAME(SHT_PROGBITS),
    CAMLSYM_NAME(SHT_SYMTAB),         CAMLSYM_NAME(SHT_STRTAB),
    CAMLSYM_NAME(SHT_RELA),           CAMLSYM_NAME(SHT_HASH),
    CAMLSYM_NAME(SHT_DYNAMIC),        CAMLSYM_NAME(SHT_NOTE),
    CAMLSYM_NAME(SHT_NOBITS),         CAMLSYM_NAME(SHT_REL),
    CAMLSYM_NAME(SHT_DYNSYM),         CAMLSYM_NAME(SHT_INIT_ARRAY),
    CAMLSYM_NAME(SHT_FINI_ARRAY),     CAMLSYM_NAME(SHT_PREINIT_ARRAY),
    CAMLSYM_NAME(SHT_GROUP),          CAMLSYM_NAME(SHT_SYMTAB_SHNDX),
    CAMLSYM_NAME(SHT_GNU_ATTRIBUTES), CAMLSYM_NAME(SHT_X86_64_UNWIND),
};

constexpr Named kSymbolTypes[] = {
    CAMLSYM_NAME(STT_NOTYPE), CAMLSYM_NAME(STT_OBJECT),
    CAMLSYM_NAME(STT_FUNC),   CAMLSYM_NAME(STT_SECTION),
    CAMLSYM_NAME(STT_FILE),   CAMLSYM_NAME(STT_COMMON),
    CAMLSYM_NAME(STT_TLS),    CAMLSYM_NAME(STT_GNU_IFUNC),
};

constexpr Named kSymbolBindings[] = {
    CAMLSYM_NAME(STB_LOCAL),
    CAMLSYM_NAME(STB_GLOBAL),
    CAMLSYM_NAME(STB_WEAK),
    CAMLSYM_NAME(STB_GNU_UNIQUE),
};

constexpr Named kVisibilities[] = {
    CAMLSYM_NAME(STV_DEFAULT),
    CAMLSYM_NAME(STV_INTERNAL),
    CAMLSYM_NAME(STV_HIDDEN),
    CAMLSYM_NAME(STV_PROTECTED),
};

#undef CAMLSYM_NAME

template <size_t N>
std::string NameOf(const Named (&table)[N], uint32_t value) {
  for (const Named& n : table) {
    if (n.value == value) return n.name;
  }
  return fmt::format("{}", value);
}

std::string RelocationTypeName(uint16_t machine, uint32_t type) {
  if (machine == EM_X86_64) return NameOf(kX86_64Relocations, type);
  if (machine == EM_AARCH64) return NameOf(kAArch64Relocations, type);
  return fmt::format("type {}", type);
}

// Section flags as readelf -S spells them, then the value.
std::string FlagsName(uint64_t flags) {
  static constexpr std::pair<uint64_t, char> kLetters[] = {
      {SHF_WRITE, 'W'},      {SHF_ALLOC, 'A'},
      {SHF_EXECINSTR, 'X'},  {SHF_MERGE, 'M'},
      {SHF_STRINGS, 'S'},    {SHF_INFO_LINK, 'I'},
      {SHF_LINK_ORDER, 'L'}, {SHF_OS_NONCONFORMING, 'O'},
      {SHF_GROUP, 'G'},      {SHF_TLS, 'T'},
      {SHF_COMPRESSED, 'C'}, {SHF_EXCLUDE, 'E'},
  };
  std::string letters;
  uint64_t rest = flags;
  for (const auto& [bit, letter] : kLetters) {
    if ((flags & bit) != 0) {
      letters += letter;
      rest &= ~bit;
    }
  }
  if (rest != 0) letters += fmt::format("+{:#x}", rest);
  if (letters.empty()) letters = "none";
  return fmt::format("{} ({:#x})", letters, flags);
}

std::string Hex(std::string_view bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0) out += ' ';
    out += fmt::format("{:02x}", static_cast<uint8_t>(bytes[i]));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Reading.

constexpr char kUndef[] = "UNDEF";

absl::StatusOr<std::string> ReadWholeFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(fmt::format("{}: cannot open", path));
  std::string bytes((std::istreambuf_iterator<char>(in)),
                    std::istreambuf_iterator<char>());
  if (in.bad())
    return absl::NotFoundError(fmt::format("{}: cannot read", path));
  return bytes;
}

// The file's bytes of section \p scn ("" for NOBITS).
std::string RawBytes(Elf_Scn* scn) {
  std::string out;
  for (Elf_Data* d = elf_rawdata(scn, nullptr); d != nullptr;
       d = elf_rawdata(scn, d)) {
    if (d->d_buf != nullptr) {
      out.append(static_cast<const char*>(d->d_buf), d->d_size);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<ObjectView> ReadObject(const std::string& path) {
  absl::StatusOr<std::string> file = ReadWholeFile(path);
  if (!file.ok()) return file.status();
  if (elf_version(EV_CURRENT) == EV_NONE) {
    return absl::InternalError(
        fmt::format("{}: libelf is unusable: {}", path, LibelfError()));
  }
  // elf_memory does not write through its pointer (ELF_C_READ).
  std::unique_ptr<Elf, ElfCloser> elf(elf_memory(file->data(), file->size()));
  if (elf == nullptr || elf_kind(elf.get()) != ELF_K_ELF) {
    return Invalid(path, "not an ELF file");
  }
  GElf_Ehdr ehdr;
  if (gelf_getehdr(elf.get(), &ehdr) == nullptr) {
    return Invalid(path, "bad ELF header: " + LibelfError());
  }
  ObjectView view;
  view.path = path;
  view.elf_class = ehdr.e_ident[EI_CLASS];
  view.data = ehdr.e_ident[EI_DATA];
  view.os_abi = ehdr.e_ident[EI_OSABI];
  view.type = ehdr.e_type;
  view.machine = ehdr.e_machine;
  view.flags = ehdr.e_flags;

  size_t shnum = 0;
  size_t shstrndx = 0;
  if (elf_getshdrnum(elf.get(), &shnum) != 0 ||
      elf_getshdrstrndx(elf.get(), &shstrndx) != 0) {
    return Invalid(path, "bad section header table: " + LibelfError());
  }
  std::vector<GElf_Shdr> headers(shnum);
  std::vector<std::string> names(shnum);
  for (size_t i = 1; i < shnum; ++i) {
    Elf_Scn* scn = elf_getscn(elf.get(), i);
    if (scn == nullptr || gelf_getshdr(scn, &headers[i]) == nullptr) {
      return Invalid(path, fmt::format("cannot read section header {}: {}", i,
                                       LibelfError()));
    }
    const char* name = elf_strptr(elf.get(), shstrndx, headers[i].sh_name);
    if (name == nullptr) {
      return Invalid(path, fmt::format("section {} has no readable name", i));
    }
    names[i] = name;
  }
  auto section_name =
      [&](uint64_t index,
          std::string_view what) -> absl::StatusOr<std::string> {
    if (index == 0) return std::string();
    if (index >= shnum) {
      return Invalid(
          path, fmt::format("{} names section {}, of {}", what, index, shnum));
    }
    return names[index];
  };

  // The symbol table (a relocatable object has at most one).
  size_t symtab = 0;
  size_t symtab_shndx = 0;
  for (size_t i = 1; i < shnum; ++i) {
    if (headers[i].sh_type == SHT_SYMTAB) {
      if (symtab != 0) return Invalid(path, "more than one symbol table");
      symtab = i;
    }
    if (headers[i].sh_type == SHT_SYMTAB_SHNDX) symtab_shndx = i;
  }
  const size_t symbol_names = symtab != 0 ? headers[symtab].sh_link : 0;

  for (size_t i = 1; i < shnum; ++i) {
    const GElf_Shdr& h = headers[i];
    ObjectSection s;
    s.name = names[i];
    s.type = h.sh_type;
    s.flags = h.sh_flags;
    s.alignment_bytes = h.sh_addralign;
    s.entry_size_bytes = h.sh_entsize;
    s.size_bytes = h.sh_size;
    absl::StatusOr<std::string> link =
        section_name(h.sh_link, "sh_link of " + s.name);
    if (!link.ok()) return link.status();
    s.link = *link;
    if (h.sh_type == SHT_REL || h.sh_type == SHT_RELA ||
        (h.sh_flags & SHF_INFO_LINK) != 0) {
      absl::StatusOr<std::string> info =
          section_name(h.sh_info, "sh_info of " + s.name);
      if (!info.ok()) return info.status();
      s.info = *info;
    } else {
      s.info = fmt::format("{}", h.sh_info);
    }
    Elf_Scn* scn = elf_getscn(elf.get(), i);
    switch (h.sh_type) {
      case SHT_NOBITS:
      case SHT_SYMTAB:
      case SHT_SYMTAB_SHNDX:
      case SHT_REL:
      case SHT_RELA:
        break;
      case SHT_GROUP: {
        // Section indices: compared as the member sections' names.
        const std::string raw = RawBytes(scn);
        Elf_Data* d = elf_getdata(scn, nullptr);
        if (d == nullptr || d->d_size % 4 != 0) {
          return Invalid(path, "unreadable group section " + s.name);
        }
        const auto* words = static_cast<const uint32_t*>(d->d_buf);
        s.bytes_compared = true;
        for (size_t w = 0; w < d->d_size / 4; ++w) {
          if (w == 0) {
            s.bytes += fmt::format("flags {:#x}", words[0]);
            continue;
          }
          absl::StatusOr<std::string> member =
              section_name(words[w], "group " + s.name);
          if (!member.ok()) return member.status();
          s.bytes += " " + *member;
        }
        break;
      }
      default:
        if (i == shstrndx || i == symbol_names) break;
        s.bytes_compared = true;
        s.bytes = RawBytes(scn);
        if (s.bytes.size() != h.sh_size) {
          return Invalid(path, fmt::format("section {} is cut short: {} of {} "
                                           "bytes in the file",
                                           s.name, s.bytes.size(), h.sh_size));
        }
    }
    view.sections.push_back(std::move(s));
  }

  // Symbols; symbol_display[i] is how relocations name symbol i.
  std::vector<std::string> symbol_display(1);
  if (symtab != 0) {
    const GElf_Shdr& h = headers[symtab];
    if (h.sh_entsize == 0) return Invalid(path, ".symtab has entry size 0");
    Elf_Data* data = elf_getdata(elf_getscn(elf.get(), symtab), nullptr);
    Elf_Data* shndx_data =
        symtab_shndx != 0
            ? elf_getdata(elf_getscn(elf.get(), symtab_shndx), nullptr)
            : nullptr;
    if (data == nullptr) return Invalid(path, "unreadable symbol table");
    const size_t count = h.sh_size / h.sh_entsize;
    size_t first_global = count;
    for (size_t i = 1; i < count; ++i) {
      GElf_Sym sym;
      Elf32_Word xindex = 0;
      if (gelf_getsymshndx(data, shndx_data, static_cast<int>(i), &sym,
                           &xindex) == nullptr) {
        return Invalid(
            path, fmt::format("cannot read symbol {}: {}", i, LibelfError()));
      }
      ObjectSymbol s;
      const char* name = elf_strptr(elf.get(), h.sh_link, sym.st_name);
      if (name == nullptr) {
        return Invalid(path, fmt::format("symbol {} has no readable name", i));
      }
      s.name = name;
      s.value = sym.st_value;
      s.size_bytes = sym.st_size;
      s.type = GELF_ST_TYPE(sym.st_info);
      s.binding = GELF_ST_BIND(sym.st_info);
      s.visibility = GELF_ST_VISIBILITY(sym.st_other);
      switch (sym.st_shndx) {
        case SHN_UNDEF:
          s.section = kUndef;
          break;
        case SHN_ABS:
          s.section = "ABS";
          break;
        case SHN_COMMON:
          s.section = "COMMON";
          break;
        default: {
          const uint64_t index =
              sym.st_shndx == SHN_XINDEX ? xindex : sym.st_shndx;
          if (index == 0 || index >= shnum) {
            return Invalid(path, fmt::format("symbol {} ({}) is in section "
                                             "{}, of {}",
                                             i, s.name, index, shnum));
          }
          s.section = names[index];
        }
      }
      if (s.type == STT_SECTION && s.name.empty()) {
        s.name = "section " + s.section;
      }
      if (s.binding != STB_LOCAL && first_global == count) first_global = i;
      if (s.binding == STB_LOCAL && first_global != count) {
        view.problems.push_back(fmt::format(
            "local symbol {} ({}) after the first non-local one ({})", i,
            s.name, first_global));
      }
      symbol_display.push_back(s.name);
      view.symbols.push_back(std::move(s));
    }
    if (h.sh_info != first_global) {
      view.problems.push_back(
          fmt::format(".symtab sh_info is {}, but its first non-local symbol "
                      "is {}",
                      h.sh_info, first_global));
    }
  }

  // Relocations.
  for (size_t i = 1; i < shnum; ++i) {
    const GElf_Shdr& h = headers[i];
    if (h.sh_type != SHT_REL && h.sh_type != SHT_RELA) continue;
    if (h.sh_link != symtab || symtab == 0) {
      return Invalid(path,
                     fmt::format("{} does not use the symbol table", names[i]));
    }
    if (h.sh_info == 0 || h.sh_info >= shnum) {
      return Invalid(path, fmt::format("{} applies to section {}, of {}",
                                       names[i], h.sh_info, shnum));
    }
    if (h.sh_entsize == 0) {
      return Invalid(path, fmt::format("{} has entry size 0", names[i]));
    }
    Elf_Data* data = elf_getdata(elf_getscn(elf.get(), i), nullptr);
    if (data == nullptr) return Invalid(path, "unreadable " + names[i]);
    const size_t count = h.sh_size / h.sh_entsize;
    for (size_t r = 0; r < count; ++r) {
      ObjectRelocation rel;
      rel.section = names[h.sh_info];
      uint64_t info = 0;
      if (h.sh_type == SHT_RELA) {
        GElf_Rela rela;
        if (gelf_getrela(data, static_cast<int>(r), &rela) == nullptr) {
          return Invalid(
              path, fmt::format("cannot read entry {} of {}", r, names[i]));
        }
        rel.offset_bytes = rela.r_offset;
        rel.addend = rela.r_addend;
        info = rela.r_info;
      } else {
        GElf_Rel plain;
        if (gelf_getrel(data, static_cast<int>(r), &plain) == nullptr) {
          return Invalid(
              path, fmt::format("cannot read entry {} of {}", r, names[i]));
        }
        rel.offset_bytes = plain.r_offset;
        info = plain.r_info;
      }
      rel.type = static_cast<uint32_t>(GELF_R_TYPE(info));
      const uint64_t sym = GELF_R_SYM(info);
      if (sym >= symbol_display.size()) {
        return Invalid(path,
                       fmt::format("entry {} of {} names symbol {}, of {}", r,
                                   names[i], sym, symbol_display.size()));
      }
      rel.symbol = symbol_display[sym];
      view.relocations.push_back(std::move(rel));
    }
  }
  return view;
}

namespace {

// ---------------------------------------------------------------------------
// Comparing.

// Collects report lines up to a limit, then counts the rest.
class Report {
 public:
  explicit Report(int max_lines) : max_lines_(max_lines) {}

  template <typename... Args>
  void Add(fmt::format_string<Args...> format, Args&&... args) {
    if (static_cast<int>(lines_.size()) < max_lines_) {
      lines_.push_back(fmt::format(format, std::forward<Args>(args)...));
    } else {
      ++dropped_;
    }
  }

  std::string Text() const {
    std::string out;
    for (const std::string& l : lines_) out += l + "\n";
    if (dropped_ > 0) out += fmt::format("... and {} more\n", dropped_);
    return out;
  }

 private:
  int max_lines_;
  std::vector<std::string> lines_;
  int dropped_ = 0;
};

template <typename T>
void Field(Report& report, std::string_view what, std::string_view field,
           const T& want, const T& got) {
  if (want != got) {
    report.Add("{}: {}: want {}, got {}", what, field, want, got);
  }
}

std::string SectionSummary(const ObjectSection& s) {
  return fmt::format("{}, flags {}, alignment {}, size {}",
                     NameOf(kSectionTypes, s.type), FlagsName(s.flags),
                     s.alignment_bytes, s.size_bytes);
}

void CompareBytes(Report& report, const ObjectSection& want,
                  const ObjectSection& got) {
  if (!want.bytes_compared || !got.bytes_compared || want.bytes == got.bytes) {
    return;
  }
  if (want.type == SHT_GROUP) {
    report.Add("section {}: group: want {}, got {}", want.name, want.bytes,
               got.bytes);
    return;
  }
  const size_t common = std::min(want.bytes.size(), got.bytes.size());
  size_t first = common;
  size_t differing = 0;
  for (size_t i = 0; i < common; ++i) {
    if (want.bytes[i] != got.bytes[i]) {
      if (first == common) first = i;
      ++differing;
    }
  }
  if (first == common) {
    report.Add(
        "section {}: bytes: one is a prefix of the other ({} and {} "
        "bytes)",
        want.name, want.bytes.size(), got.bytes.size());
    return;
  }
  const size_t from = first & ~size_t{7};
  constexpr size_t kWindow = 16;
  report.Add(
      "section {}: bytes: {} of {} differ, the first at offset {:#x}: want "
      "[{:#x}] {}, got [{:#x}] {}",
      want.name, differing, common, first, from,
      Hex(std::string_view(want.bytes).substr(from, kWindow)), from,
      Hex(std::string_view(got.bytes).substr(from, kWindow)));
}

void CompareSection(Report& report, const ObjectSection& want,
                    const ObjectSection& got) {
  const std::string what = "section " + want.name;
  Field(report, what, "type", NameOf(kSectionTypes, want.type),
        NameOf(kSectionTypes, got.type));
  Field(report, what, "flags", FlagsName(want.flags), FlagsName(got.flags));
  Field(report, what, "alignment", want.alignment_bytes, got.alignment_bytes);
  Field(report, what, "entry size", want.entry_size_bytes,
        got.entry_size_bytes);
  // A symbol or relocation table's size is its entries, compared below;
  // a string table's depends on the order of its strings.
  if (want.bytes_compared || want.type == SHT_NOBITS) {
    Field(report, what, "size", want.size_bytes, got.size_bytes);
  }
  Field(report, what, "sh_link", want.link, got.link);
  // A symbol table's sh_info counts its local symbols, compared one by one
  // (and each table is checked for it: ObjectView::problems).
  if (want.type != SHT_SYMTAB) {
    Field(report, what, "sh_info", want.info, got.info);
  }
  CompareBytes(report, want, got);
}

// Whether \p s is one of the empty sections GNU as always makes, with its
// default header, unused in \p object: no symbol in it but its section
// symbol, no relocation for it or against its section symbol.
bool IsUnusedDefaultSection(const ObjectView& object, const ObjectSection& s) {
  struct Default {
    const char* name;
    uint32_t type;
    uint64_t flags;
  };
  static constexpr Default kDefaults[] = {
      {".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR},
      {".data", SHT_PROGBITS, SHF_WRITE | SHF_ALLOC},
      {".bss", SHT_NOBITS, SHF_WRITE | SHF_ALLOC},
  };
  const bool is_default = std::any_of(
      std::begin(kDefaults), std::end(kDefaults), [&](const Default& d) {
        return s.name == d.name && s.type == d.type && s.flags == d.flags;
      });
  if (!is_default || s.size_bytes != 0 || s.alignment_bytes > 1 ||
      s.entry_size_bytes != 0) {
    return false;
  }
  const std::string section_symbol = "section " + s.name;
  for (const ObjectSymbol& sym : object.symbols) {
    if (sym.section == s.name && sym.name != section_symbol) return false;
  }
  for (const ObjectRelocation& r : object.relocations) {
    if (r.section == s.name || r.symbol == section_symbol) return false;
  }
  return true;
}

// The sections of \p object that count as absent when \p other does not
// have them: unused default sections (IsUnusedDefaultSection), and a symbol
// table without symbols with its string table (GNU as writes none then).
std::set<std::string> AbsentSections(const ObjectView& object,
                                     const ObjectView& other) {
  auto in_other = [&](const std::string& name) {
    return std::any_of(other.sections.begin(), other.sections.end(),
                       [&](const ObjectSection& o) { return o.name == name; });
  };
  std::set<std::string> out;
  for (const ObjectSection& s : object.sections) {
    if (in_other(s.name)) continue;
    if (IsUnusedDefaultSection(object, s)) out.insert(s.name);
    if (s.type == SHT_SYMTAB && object.symbols.empty() && !in_other(s.link)) {
      out.insert(s.name);
      out.insert(s.link);
    }
  }
  return out;
}

void CompareSections(Report& report, const ObjectView& want,
                     const ObjectView& got,
                     const std::set<std::string>& absent_in_want,
                     const std::set<std::string>& absent_in_got) {
  // Matched by name, the n-th of a name with the n-th.
  std::map<std::string, std::vector<const ObjectSection*>> a, b;
  for (const ObjectSection& s : want.sections) a[s.name].push_back(&s);
  for (const ObjectSection& s : got.sections) b[s.name].push_back(&s);
  std::vector<std::string> all_names;
  for (const auto& [name, _] : a) all_names.push_back(name);
  for (const auto& [name, _] : b) {
    if (a.count(name) == 0) all_names.push_back(name);
  }
  std::sort(all_names.begin(), all_names.end());
  for (const std::string& name : all_names) {
    const std::vector<const ObjectSection*>& sa = a[name];
    const std::vector<const ObjectSection*>& sb = b[name];
    const size_t common = std::min(sa.size(), sb.size());
    for (size_t i = 0; i < common; ++i) CompareSection(report, *sa[i], *sb[i]);
    for (size_t i = common; i < sa.size(); ++i) {
      if (absent_in_want.count(name) != 0) continue;
      report.Add("section {}: only in want ({})", name, SectionSummary(*sa[i]));
    }
    for (size_t i = common; i < sb.size(); ++i) {
      if (absent_in_got.count(name) != 0) continue;
      report.Add("section {}: only in got ({})", name, SectionSummary(*sb[i]));
    }
  }
}

// Multiset difference of \p a and \p b, both sorted: the elements of each
// that the other lacks.
template <typename T>
std::pair<std::vector<T>, std::vector<T>> Unmatched(const std::vector<T>& a,
                                                    const std::vector<T>& b) {
  std::pair<std::vector<T>, std::vector<T>> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(),
                      std::back_inserter(out.first));
  std::set_difference(b.begin(), b.end(), a.begin(), a.end(),
                      std::back_inserter(out.second));
  return out;
}

void CompareRelocations(Report& report, const ObjectView& want,
                        const ObjectView& got) {
  // Keyed by (section, offset); the rest formatted.
  using Entry = std::pair<std::pair<std::string, uint64_t>, std::string>;
  auto entries = [](const ObjectView& v) {
    std::vector<Entry> out;
    for (const ObjectRelocation& r : v.relocations) {
      out.push_back(
          {{r.section, r.offset_bytes},
           fmt::format("{} {} {:+d}", RelocationTypeName(v.machine, r.type),
                       r.symbol.empty() ? "(no symbol)" : r.symbol, r.addend)});
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  auto [only_want, only_got] = Unmatched(entries(want), entries(got));
  // One unmatched entry on each side at the same place: one changed entry.
  std::map<std::pair<std::string, uint64_t>,
           std::pair<std::vector<std::string>, std::vector<std::string>>>
      at;
  for (const Entry& e : only_want) at[e.first].first.push_back(e.second);
  for (const Entry& e : only_got) at[e.first].second.push_back(e.second);
  for (const auto& [place, sides] : at) {
    const auto& [section, offset] = place;
    if (sides.first.size() == 1 && sides.second.size() == 1) {
      report.Add("relocation {}+{:#x}: want {}, got {}", section, offset,
                 sides.first[0], sides.second[0]);
      continue;
    }
    for (const std::string& e : sides.first) {
      report.Add("relocation {}+{:#x}: only in want: {}", section, offset, e);
    }
    for (const std::string& e : sides.second) {
      report.Add("relocation {}+{:#x}: only in got: {}", section, offset, e);
    }
  }
}

struct SymbolFields {
  std::string name;
  std::string section;
  uint64_t value;
  uint64_t size;
  std::string type;
  std::string binding;
  std::string visibility;
  auto Tie() const {
    return std::tie(name, section, value, size, type, binding, visibility);
  }
  bool operator<(const SymbolFields& o) const { return Tie() < o.Tie(); }
  bool operator==(const SymbolFields& o) const { return Tie() == o.Tie(); }
  std::string Text() const {
    return fmt::format("in {}, value {:#x}, size {}, {} {} {}", section, value,
                       size, type, binding, visibility);
  }
};

void CompareSymbols(Report& report, const ObjectView& want,
                    const ObjectView& got,
                    const std::set<std::string>& absent_in_want,
                    const std::set<std::string>& absent_in_got) {
  auto fields = [](const ObjectView& v, const std::set<std::string>& absent) {
    std::vector<SymbolFields> out;
    for (const ObjectSymbol& s : v.symbols) {
      // The section symbol of a section that counts as absent.
      if (absent.count(s.section) != 0) continue;
      out.push_back({s.name, s.section, s.value, s.size_bytes,
                     NameOf(kSymbolTypes, s.type),
                     NameOf(kSymbolBindings, s.binding),
                     NameOf(kVisibilities, s.visibility)});
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  auto [only_want, only_got] =
      Unmatched(fields(want, absent_in_want), fields(got, absent_in_got));
  std::map<std::string,
           std::pair<std::vector<SymbolFields>, std::vector<SymbolFields>>>
      by_name;
  for (const SymbolFields& s : only_want) by_name[s.name].first.push_back(s);
  for (const SymbolFields& s : only_got) by_name[s.name].second.push_back(s);
  for (const auto& [name, sides] : by_name) {
    const std::string what = "symbol " + name;
    if (sides.first.size() == 1 && sides.second.size() == 1) {
      const SymbolFields& w = sides.first[0];
      const SymbolFields& g = sides.second[0];
      Field(report, what, "section", w.section, g.section);
      Field(report, what, "value", fmt::format("{:#x}", w.value),
            fmt::format("{:#x}", g.value));
      Field(report, what, "size", w.size, g.size);
      Field(report, what, "type", w.type, g.type);
      Field(report, what, "binding", w.binding, g.binding);
      Field(report, what, "visibility", w.visibility, g.visibility);
      continue;
    }
    for (const SymbolFields& s : sides.first) {
      report.Add("{}: only in want ({})", what, s.Text());
    }
    for (const SymbolFields& s : sides.second) {
      report.Add("{}: only in got ({})", what, s.Text());
    }
  }
}

}  // namespace

std::string DiffObjects(const ObjectView& want, const ObjectView& got,
                        int max_lines) {
  Report report(max_lines);
  for (const std::string& p : want.problems) report.Add("want: {}", p);
  for (const std::string& p : got.problems) report.Add("got: {}", p);
  const std::string header = "ELF header";
  Field(report, header, "class", want.elf_class, got.elf_class);
  Field(report, header, "byte order", want.data, got.data);
  Field(report, header, "OS ABI", want.os_abi, got.os_abi);
  Field(report, header, "e_type", want.type, got.type);
  Field(report, header, "e_machine", NameOf(kMachines, want.machine),
        NameOf(kMachines, got.machine));
  Field(report, header, "e_flags", fmt::format("{:#x}", want.flags),
        fmt::format("{:#x}", got.flags));
  const std::set<std::string> absent_in_want = AbsentSections(want, got);
  const std::set<std::string> absent_in_got = AbsentSections(got, want);
  CompareSections(report, want, got, absent_in_want, absent_in_got);
  CompareRelocations(report, want, got);
  CompareSymbols(report, want, got, absent_in_want, absent_in_got);
  return report.Text();
}

std::string CompareObjects(const std::string& want, const std::string& got) {
  absl::StatusOr<ObjectView> a = ReadObject(want);
  absl::StatusOr<ObjectView> b = ReadObject(got);
  if (!a.ok() || !b.ok()) {
    std::string out = fmt::format("{} and {} cannot be compared:\n", want, got);
    if (!a.ok()) out += std::string(a.status().message()) + "\n";
    if (!b.ok()) out += std::string(b.status().message()) + "\n";
    return out;
  }
  const std::string diff = DiffObjects(*a, *b);
  if (diff.empty()) return "";
  return fmt::format("{} and {} differ:\n{}", want, got, diff);
}

}  // namespace camlsym::testing
