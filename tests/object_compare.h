// Compares two ELF relocatable objects the way a linker sees them, read with
// libelf: camlsym's integrated assembler is checked against GNU as with it
// (x86-64, and AArch64 against aarch64-linux-gnu-as). Test-only.
//
// What is compared, each section matched by name (the order of sections and
// of symbols in the files does not matter):
// - the ELF header: class, byte order, OS ABI, e_type, e_machine, e_flags;
// - each section header: type, flags, alignment, entry size, size (NOBITS
//   sections such as .bss included) and the sections named by sh_link and,
//   for relocation sections and SHF_INFO_LINK, sh_info;
// - the bytes of every section but the symbol table, its string table, the
//   section name table and the relocation sections, which are compared
//   entry by entry instead;
// - the relocations of each relocated section: offset, type, symbol (by
//   name, or by its section's name for a section symbol) and addend;
// - the symbols: name, value, size, type, binding, visibility and the NAME
//   of the section they are in, or UNDEF, ABS or COMMON.
// Each object is also checked for what the linker relies on: the symbol
// table's sh_info is the index of its first non-local symbol.
//
// Two differences are not ones of meaning, and are not reported:
// - GNU as always makes `.text`, `.data` and `.bss`, even empty: an empty
//   one of those with its default header (flags AX, WA, WA; alignment 1 or
//   0), found in one object only, with no symbol in it but its section
//   symbol and no relocation for it or against that symbol, counts as
//   absent, and so does its section symbol;
// - GNU as writes no symbol table when there are no symbols: a `.symtab`
//   holding only the null entry, with its string table, found in one
//   object only, counts as absent.
//
// Mirrors: nothing in OCaml (test support); the ELF structures are the
// System V gABI's, the relocation names elf.h's.
#ifndef CAMLSYM_TESTS_OBJECT_COMPARE_H_
#define CAMLSYM_TESTS_OBJECT_COMPARE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace camlsym::testing {

/// One section of an object file as read by ReadObject().
struct ObjectSection {
  std::string name;
  uint32_t type = 0;              ///< sh_type (SHT_*)
  uint64_t flags = 0;             ///< sh_flags (SHF_*)
  uint64_t alignment_bytes = 0;   ///< sh_addralign
  uint64_t entry_size_bytes = 0;  ///< sh_entsize
  uint64_t size_bytes = 0;        ///< sh_size, also for NOBITS
  std::string link;  ///< name of the section sh_link names, "" if 0
  /// sh_info: the name of the section it names for SHT_REL, SHT_RELA and
  /// SHF_INFO_LINK, else the number in decimal.
  std::string info;
  /// Whether `bytes` holds the contents (false for NOBITS, the symbol
  /// table, string tables it or the headers use, relocation sections).
  bool bytes_compared = false;
  std::string bytes;
};

/// One relocation entry, REL or RELA.
struct ObjectRelocation {
  std::string section;        ///< the name of the section it applies to
  uint64_t offset_bytes = 0;  ///< r_offset, within that section
  uint32_t type = 0;          ///< ELF64_R_TYPE
  /// The symbol's name; `section .text` for a section symbol; "" for
  /// symbol index 0.
  std::string symbol;
  int64_t addend = 0;  ///< r_addend (0 for REL)
};

/// One symbol table entry other than the null entry at index 0.
struct ObjectSymbol {
  /// st_name's string; for a nameless section symbol, `section <name>`.
  std::string name;
  uint64_t value = 0;
  uint64_t size_bytes = 0;
  uint8_t type = 0;        ///< ELF64_ST_TYPE
  uint8_t binding = 0;     ///< ELF64_ST_BIND
  uint8_t visibility = 0;  ///< ELF64_ST_VISIBILITY
  /// The name of the section it is defined in, or UNDEF, ABS or COMMON.
  std::string section;
};

/// Everything CompareObjects() compares of one ELF relocatable object.
struct ObjectView {
  std::string path;
  uint8_t elf_class = 0;  ///< e_ident[EI_CLASS]
  uint8_t data = 0;       ///< e_ident[EI_DATA]
  uint8_t os_abi = 0;     ///< e_ident[EI_OSABI]
  uint16_t type = 0;      ///< e_type
  uint16_t machine = 0;   ///< e_machine (EM_X86_64, EM_AARCH64, ...)
  uint32_t flags = 0;     ///< e_flags
  std::vector<ObjectSection> sections;        ///< in file order
  std::vector<ObjectRelocation> relocations;  ///< in file order
  std::vector<ObjectSymbol> symbols;          ///< in file order
  /// Broken invariants found while reading (e.g. a symbol table whose
  /// sh_info is not its first non-local symbol); empty if none.
  std::vector<std::string> problems;
};

/// Reads the ELF object at \p path with libelf.
///
/// Errors: kNotFound if the file cannot be read; kInvalidArgument, naming
/// the file, if it is not ELF or a header, section name, symbol or
/// relocation refers outside the file (bad index or offset).
absl::StatusOr<ObjectView> ReadObject(const std::string& path);

/// The differences between \p want and \p got, one per line, each naming
/// the section, relocation or symbol and the field with both values
/// (`section .text: flags: want AX, got A`); at most \p max_lines lines and
/// a count of the rest. "" if they are the same (see the file comment).
std::string DiffObjects(const ObjectView& want, const ObjectView& got,
                        int max_lines = 60);

/// "" if the objects at paths \p want and \p got are the same by
/// DiffObjects(); otherwise a report starting `<want> and <got> differ:`
/// followed by the differences, or the error that made either unreadable.
std::string CompareObjects(const std::string& want, const std::string& got);

}  // namespace camlsym::testing

#endif  // CAMLSYM_TESTS_OBJECT_COMPARE_H_
