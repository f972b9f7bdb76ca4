// The compilation target, distilled: architecture, operating system, object
// format, assembler dialect, word size and mangling scheme. Code that needs
// a target fact asks this module instead of testing configuration strings.
//
// Mirrors: the RFC "Symbols" (shared/seeds/004), "Target_system"; OxCaml's
// utils/target_system.mli; OCaml 4.13.1's utils/config.mlp (`architecture`,
// `system`, `asm`).
#ifndef CAMLSYM_TARGET_SYSTEM_TARGET_SYSTEM_H_
#define CAMLSYM_TARGET_SYSTEM_TARGET_SYSTEM_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "camlsym/formats/ocaml_version.h"
#include "camlsym/symbols/asm_syntax.h"
#include "camlsym/symbols/mangling_scheme.h"
#include "camlsym/target_system/architecture.h"
#include "camlsym/target_system/object_format.h"

namespace camlsym {

enum class OperatingSystem { kLinux, kMacOS };
/// The assembler whose syntax is written: GNU as (ELF), or Apple's
/// (clang's integrated) assembler for Mach-O.
enum class AssemblerDialect { kGnuAs, kAppleAs };

/// One target. Immutable value.
class TargetSystem {
 public:
  /// Parses a triple: `x86_64-linux`, `aarch64-linux`, `aarch64-macos`,
  /// `x86_64-macos` (a `-gnu` suffix and the spellings `amd64` / `arm64` and
  /// `darwin` are accepted). \p scheme_name picks the mangling scheme
  /// (`ocaml-4.13` by default). kInvalidArgument for an unknown triple or
  /// scheme, listing the supported ones.
  static absl::StatusOr<TargetSystem> Parse(
      std::string_view triple, std::string_view scheme_name = "ocaml-4.13");

  /// The machine camlsym runs on, with OCaml 4.13's mangling.
  static TargetSystem Host();

  /// This target for the files of OCaml \p version: the version's own
  /// mangling scheme (4.13: `__`; 5.1 to 5.3: `.`; 5.4: `.` on Linux, `$` on
  /// macOS) and ABI. A link takes the version from its inputs.
  TargetSystem WithOcamlVersion(formats::OcamlVersion version) const;

  /// The OCaml release whose ABI and mangling this target uses (4.13 unless
  /// set by WithOcamlVersion, or by Parse's scheme name: `ocaml-5.1` gives
  /// 5.1, `ocaml-5.4` 5.4).
  formats::OcamlVersion ocaml_version() const { return version_; }

  Architecture architecture() const { return arch_; }
  OperatingSystem os() const { return os_; }
  ObjectFormat object_format() const {
    return os_ == OperatingSystem::kMacOS ? ObjectFormat::kMachO
                                          : ObjectFormat::kElf;
  }
  AssemblerDialect assembler_dialect() const {
    return os_ == OperatingSystem::kMacOS ? AssemblerDialect::kAppleAs
                                          : AssemblerDialect::kGnuAs;
  }
  /// Bytes per word: 8 on both supported architectures.
  int word_size_bytes() const { return 8; }
  const ManglingScheme& mangling_scheme() const { return scheme_; }

  /// Canonical triple, e.g. `aarch64-linux`.
  std::string Triple() const;
  /// OCaml's name for the architecture (`amd64`, `arm64`), as in
  /// `ocamlopt -config`.
  std::string_view OcamlArchitectureName() const;

  /// The assembler spelling for this target.
  AsmSyntax asm_syntax() const;

  /// Default tools for assembling and linking on Linux:
  /// `x86_64-linux-gnu-as`/`-gcc` or `aarch64-linux-gnu-as`/`-gcc`.
  std::string DefaultAssembler() const;
  std::string DefaultCCompiler() const;

  friend bool operator==(const TargetSystem&, const TargetSystem&) = default;

 private:
  TargetSystem(Architecture arch, OperatingSystem os, ManglingScheme scheme,
               formats::OcamlVersion version)
      : arch_(arch), os_(os), scheme_(scheme), version_(version) {}
  Architecture arch_;
  OperatingSystem os_;
  ManglingScheme scheme_;
  formats::OcamlVersion version_;
};

}  // namespace camlsym

#endif  // CAMLSYM_TARGET_SYSTEM_TARGET_SYSTEM_H_
