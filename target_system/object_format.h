// The object file format of a target: the one definition that
// target_system.h and the layers below it (symbols/asm_syntax.h: symbol
// prefixes, local labels, directives) share. No dependencies.
//
// Mirrors: OCaml 4.13.1's utils/config.mlp `system` as the emitters read it
// (asmcomp/amd64/emit.mlp and asmcomp/arm64/emit.mlp test for "macosx");
// OxCaml's utils/target_system.mli `is_macos`.
#ifndef CAMLSYM_TARGET_SYSTEM_OBJECT_FORMAT_H_
#define CAMLSYM_TARGET_SYSTEM_OBJECT_FORMAT_H_

namespace camlsym {

/// The object file formats camlsym writes assembly for.
enum class ObjectFormat {
  /// ELF (Linux).
  kElf,
  /// Mach-O (macOS).
  kMachO,
};

}  // namespace camlsym

#endif  // CAMLSYM_TARGET_SYSTEM_OBJECT_FORMAT_H_
