// The instruction set a target runs: the one definition that
// target_system.h and the layers below it (symbols/asm_syntax.h spells
// names and relocations by it) share. No dependencies, so that anything
// can use it without depending on the whole TargetSystem.
//
// Mirrors: OCaml 4.13.1's utils/config.mlp `architecture` ("amd64",
// "arm64"); OxCaml's utils/target_system.mli `architecture`.
#ifndef CAMLSYM_TARGET_SYSTEM_ARCHITECTURE_H_
#define CAMLSYM_TARGET_SYSTEM_ARCHITECTURE_H_

namespace camlsym {

/// The architectures camlsym writes for.
enum class Architecture {
  /// x86-64 (OCaml's `amd64`).
  kX86_64,
  /// AArch64 (OCaml's `arm64`).
  kAArch64,
};

}  // namespace camlsym

#endif  // CAMLSYM_TARGET_SYSTEM_ARCHITECTURE_H_
