#include "camlsym/formats/cmxs.h"

#include <gelf.h>
#include <libelf.h>

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "camlsym/formats/cmx.h"
#include "camlsym/formats/str_cat.h"

namespace camlsym::formats {
namespace {

constexpr uint64_t kWordBytes = 8;
constexpr uint64_t kStringTag = 252;

absl::Status Invalid(std::string_view file, std::string_view what) {
  return absl::InvalidArgumentError(internal::StrCat(file, ": ", what));
}

struct ElfCloser {
  void operator()(Elf* e) const { elf_end(e); }
};

// The defined symbol \p name in a symbol table section of type \p type.
bool FindSymbol(Elf* elf, Elf64_Word type, std::string_view name,
                GElf_Sym& out) {
  for (Elf_Scn* scn = elf_nextscn(elf, nullptr); scn != nullptr;
       scn = elf_nextscn(elf, scn)) {
    GElf_Shdr shdr;
    if (gelf_getshdr(scn, &shdr) == nullptr || shdr.sh_type != type ||
        shdr.sh_entsize == 0) {
      continue;
    }
    Elf_Data* data = elf_getdata(scn, nullptr);
    if (data == nullptr) continue;
    const size_t count = shdr.sh_size / shdr.sh_entsize;
    for (size_t i = 0; i < count; ++i) {
      GElf_Sym sym;
      if (gelf_getsym(data, static_cast<int>(i), &sym) == nullptr) break;
      if (sym.st_shndx == SHN_UNDEF) continue;
      const char* n = elf_strptr(elf, shdr.sh_link, sym.st_name);
      if (n != nullptr && name == n) {
        out = sym;
        return true;
      }
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<std::string> ParseElfOcamlString(
    std::string_view bytes, std::string_view symbol,
    std::string_view what_for_errors, std::string_view file_name_for_errors) {
  const std::string_view file = file_name_for_errors;
  if (bytes.size() < 4 || bytes.substr(0, 4) !=
                              "\x7f"
                              "ELF") {
    return Invalid(
        file, internal::StrCat("not ", what_for_errors, " (not an ELF file)"));
  }
  if (elf_version(EV_CURRENT) == EV_NONE) {
    return absl::InternalError(internal::StrCat(
        file, ": libelf is unusable: ", elf_errmsg(elf_errno())));
  }
  // elf_memory does not write through its pointer unless asked to (ELF_C_RDWR).
  std::unique_ptr<Elf, ElfCloser> elf(
      elf_memory(const_cast<char*>(bytes.data()), bytes.size()));
  if (elf == nullptr || elf_kind(elf.get()) != ELF_K_ELF) {
    return Invalid(file, internal::StrCat("not a readable ELF file: ",
                                          elf_errmsg(elf_errno())));
  }
  GElf_Ehdr ehdr;
  if (gelf_getehdr(elf.get(), &ehdr) == nullptr) {
    return Invalid(
        file, internal::StrCat("bad ELF header: ", elf_errmsg(elf_errno())));
  }
  size_t shnum = 0;
  if (elf_getshdrnum(elf.get(), &shnum) != 0 ||
      ehdr.e_shoff + static_cast<uint64_t>(shnum) * ehdr.e_shentsize >
          bytes.size()) {
    return Invalid(file,
                   "truncated: the section headers are past the end "
                   "of the file");
  }
  GElf_Sym sym;
  if (!FindSymbol(elf.get(), SHT_DYNSYM, symbol, sym) &&
      !FindSymbol(elf.get(), SHT_SYMTAB, symbol, sym)) {
    return Invalid(file, internal::StrCat("no ", symbol, " symbol: not ",
                                          what_for_errors));
  }
  if (sym.st_shndx >= shnum) {
    return Invalid(
        file, internal::StrCat(symbol, " is not in a section of the file"));
  }
  Elf_Scn* scn = elf_getscn(elf.get(), sym.st_shndx);
  GElf_Shdr shdr;
  if (scn == nullptr || gelf_getshdr(scn, &shdr) == nullptr) {
    return Invalid(file,
                   internal::StrCat("cannot read the section of ", symbol));
  }
  if (shdr.sh_type == SHT_NOBITS) {
    return Invalid(
        file, internal::StrCat(symbol, " is in a section without contents"));
  }
  if (shdr.sh_offset > bytes.size() ||
      shdr.sh_size > bytes.size() - shdr.sh_offset) {
    return Invalid(file,
                   internal::StrCat("truncated: the section holding ", symbol,
                                    " is past the end of the file"));
  }
  // Relocatable files (.o) hold section offsets, others addresses.
  const uint64_t in_section =
      ehdr.e_type == ET_REL ? sym.st_value : sym.st_value - shdr.sh_addr;
  if (sym.st_value < (ehdr.e_type == ET_REL ? 0 : shdr.sh_addr) ||
      in_section < kWordBytes || in_section > shdr.sh_size) {
    return Invalid(file, internal::StrCat(symbol, " lies outside its section"));
  }
  const std::string_view section = bytes.substr(shdr.sh_offset, shdr.sh_size);
  uint64_t header = 0;
  const bool little = ehdr.e_ident[EI_DATA] == ELFDATA2LSB;
  for (uint64_t i = 0; i < kWordBytes; ++i) {
    const uint64_t b =
        static_cast<uint8_t>(section[in_section - kWordBytes + i]);
    header |= little ? b << (8 * i) : b << (8 * (kWordBytes - 1 - i));
  }
  const uint64_t wosize = header >> 10;
  if ((header & 0xFF) != kStringTag || wosize == 0 ||
      wosize > (shdr.sh_size - in_section) / kWordBytes) {
    return Invalid(
        file, internal::StrCat(symbol,
                               " does not label an OCaml string inside its "
                               "section (header word ",
                               header, ")"));
  }
  const std::string_view block =
      section.substr(in_section, wosize * kWordBytes);
  const uint64_t pad = static_cast<uint8_t>(block.back());
  if (pad >= kWordBytes) {
    return Invalid(file, internal::StrCat("the OCaml string at ", symbol,
                                          " has a bad padding byte ", pad));
  }
  return std::string(block.substr(0, block.size() - 1 - pad));
}

absl::StatusOr<std::string> ParseCmxsPluginHeader(
    std::string_view bytes, std::string_view file_name_for_errors) {
  return ParseElfOcamlString(bytes, kPluginHeaderSymbol, "a .cmxs file",
                             file_name_for_errors);
}

absl::StatusOr<std::string> ReadCmxsPluginHeader(std::string_view path) {
  absl::StatusOr<std::string> bytes =
      ReadFileBounded(path, kMaxCmxsFileSizeBytes);
  if (!bytes.ok()) return bytes.status();
  return ParseCmxsPluginHeader(*bytes, path);
}

}  // namespace camlsym::formats
