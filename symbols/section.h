// Sections of an object file, as OCaml's emitters switch between them.
//
// Mirrors: asmcomp/amd64/emit.mlp and asmcomp/arm64/emit.mlp (OCaml 4.13.1:
// `.text`, `.data`, `.section .rodata.cst8,"aM",@progbits,8`,
// `.section .note.GNU-stack,"",%progbits`) and the ELF specification's
// section types and flags; LLVM's MCSectionELF for the shape.
#ifndef CAMLSYM_SYMBOLS_SECTION_H_
#define CAMLSYM_SYMBOLS_SECTION_H_

#include <cstdint>
#include <string_view>

#include "fmt/format.h"

namespace camlsym {

/// ELF section types (sh_type) used by camlsym.
enum class ElfSectionType : uint32_t {
  kProgbits = 1,  // SHT_PROGBITS
  kNobits = 8,    // SHT_NOBITS
};

/// ELF section flags (sh_flags), combinable with `|`.
enum ElfSectionFlags : uint64_t {
  kShfNone = 0,
  kShfWrite = 0x1,      // SHF_WRITE
  kShfAlloc = 0x2,      // SHF_ALLOC
  kShfExecInstr = 0x4,  // SHF_EXECINSTR
  kShfMerge = 0x10,     // SHF_MERGE
};

/// One section kind. Immutable value; compares by kind.
class Section {
 public:
  enum class Kind {
    kText,          // .text: code
    kData,          // .data: OCaml static data (mutable by the GC)
    kReadOnlyData,  // .rodata
    kLiteral8,      // .rodata.cst8: 8-byte mergeable constants (floats)
    kLiteral16,     // .rodata.cst16: 16-byte mergeable constants
    kNoteGnuStack,  // .note.GNU-stack: marks the stack non-executable
  };

  static constexpr Section Text() { return Section(Kind::kText); }
  static constexpr Section Data() { return Section(Kind::kData); }
  static constexpr Section ReadOnlyData() {
    return Section(Kind::kReadOnlyData);
  }
  static constexpr Section Literal8() { return Section(Kind::kLiteral8); }
  static constexpr Section Literal16() { return Section(Kind::kLiteral16); }
  static constexpr Section NoteGnuStack() {
    return Section(Kind::kNoteGnuStack);
  }

  constexpr Kind kind() const { return kind_; }

  /// The ELF section name, e.g. `.rodata.cst8`.
  std::string_view ElfName() const;
  /// sh_type.
  ElfSectionType ElfType() const;
  /// sh_flags.
  uint64_t ElfFlags() const;
  /// sh_entsize in bytes: 8 or 16 for the literal pools, 0 otherwise.
  uint64_t ElfEntrySizeBytes() const;
  /// The flags as GNU as spells them in `.section`: `"ax"`, `"aw"`, `"a"`,
  /// `"aM"`, or `""`.
  std::string_view GasFlags() const;
  /// The Mach-O `segment,section` pair, e.g. `__TEXT,__text`.
  std::string_view MachOName() const;
  /// True for executable code.
  bool IsText() const { return kind_ == Kind::kText; }

  friend constexpr bool operator==(Section, Section) = default;
  template <typename H>
  friend H AbslHashValue(H h, Section s) {
    return H::combine(std::move(h), s.kind_);
  }

 private:
  constexpr explicit Section(Kind kind) : kind_(kind) {}
  Kind kind_;
};

}  // namespace camlsym

/// Formats as the ELF name.
template <>
struct fmt::formatter<camlsym::Section> : fmt::formatter<std::string_view> {
  auto format(camlsym::Section s, fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(s.ElfName(), ctx);
  }
};

#endif  // CAMLSYM_SYMBOLS_SECTION_H_
