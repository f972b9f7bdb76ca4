// Compares two ELF relocatable objects the way the linker sees them, with
// binutils' own readers (objcopy, readelf): camlsym's integrated assembler
// is checked against GNU as with it. Test-only.
//
// Mirrors: nothing in OCaml (test support).
#ifndef CAMLSYM_TESTS_OBJECT_COMPARE_H_
#define CAMLSYM_TESTS_OBJECT_COMPARE_H_

#include <string>

namespace camlsym::testing {

/// "" if the objects \p want and \p got (paths) have the same sections with
/// contents (bytes of every section but the symbol, string and relocation
/// tables, compared by name), the same relocations (section, offset, type,
/// symbol or section name, addend) and the same symbols (name, value, size,
/// type, binding, section index name), regardless of the order of the
/// symbol table; else a description of the first differences (a diff).
std::string CompareObjects(const std::string& want, const std::string& got);

}  // namespace camlsym::testing

#endif  // CAMLSYM_TESTS_OBJECT_COMPARE_H_
