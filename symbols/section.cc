#include "camlsym/symbols/section.h"

namespace camlsym {

std::string_view Section::ElfName() const {
  switch (kind_) {
    case Kind::kText:
      return ".text";
    case Kind::kData:
      return ".data";
    case Kind::kReadOnlyData:
      return ".rodata";
    case Kind::kLiteral8:
      return ".rodata.cst8";
    case Kind::kLiteral16:
      return ".rodata.cst16";
    case Kind::kNoteGnuStack:
      return ".note.GNU-stack";
  }
  return "";
}

ElfSectionType Section::ElfType() const { return ElfSectionType::kProgbits; }

uint64_t Section::ElfFlags() const {
  switch (kind_) {
    case Kind::kText:
      return kShfAlloc | kShfExecInstr;
    case Kind::kData:
      return kShfAlloc | kShfWrite;
    case Kind::kReadOnlyData:
      return kShfAlloc;
    case Kind::kLiteral8:
    case Kind::kLiteral16:
      return kShfAlloc | kShfMerge;
    case Kind::kNoteGnuStack:
      return kShfNone;
  }
  return kShfNone;
}

uint64_t Section::ElfEntrySizeBytes() const {
  switch (kind_) {
    case Kind::kLiteral8:
      return 8;
    case Kind::kLiteral16:
      return 16;
    default:
      return 0;
  }
}

std::string_view Section::GasFlags() const {
  switch (kind_) {
    case Kind::kText:
      return "ax";
    case Kind::kData:
      return "aw";
    case Kind::kReadOnlyData:
      return "a";
    case Kind::kLiteral8:
    case Kind::kLiteral16:
      return "aM";
    case Kind::kNoteGnuStack:
      return "";
  }
  return "";
}

std::string_view Section::MachOName() const {
  switch (kind_) {
    case Kind::kText:
      return "__TEXT,__text";
    case Kind::kData:
      return "__DATA,__data";
    case Kind::kReadOnlyData:
      return "__TEXT,__const";
    case Kind::kLiteral8:
      return "__TEXT,__literal8";
    case Kind::kLiteral16:
      return "__TEXT,__literal16";
    case Kind::kNoteGnuStack:
      return "";
  }
  return "";
}

}  // namespace camlsym
