#include "camlsym/target_system/target_system.h"

#include "fmt/format.h"

namespace camlsym {
namespace {

constexpr std::string_view kSupported =
    "x86_64-linux, aarch64-linux, aarch64-macos, x86_64-macos";

std::string_view StripSuffix(std::string_view s, std::string_view suffix) {
  if (s.size() >= suffix.size() &&
      s.substr(s.size() - suffix.size()) == suffix) {
    return s.substr(0, s.size() - suffix.size());
  }
  return s;
}

}  // namespace

absl::StatusOr<TargetSystem> TargetSystem::Parse(std::string_view triple,
                                                 std::string_view scheme_name) {
  std::string_view t = StripSuffix(triple, "-gnu");
  size_t dash = t.find('-');
  auto unknown = [&] {
    return absl::InvalidArgumentError(
        fmt::format("unsupported target \"{}\"; supported targets: {}", triple,
                    kSupported));
  };
  if (dash == std::string_view::npos) return unknown();
  std::string_view arch_s = t.substr(0, dash);
  std::string_view os_s = t.substr(dash + 1);
  Architecture arch;
  if (arch_s == "x86_64" || arch_s == "amd64") {
    arch = Architecture::kX86_64;
  } else if (arch_s == "aarch64" || arch_s == "arm64") {
    arch = Architecture::kAArch64;
  } else {
    return unknown();
  }
  OperatingSystem os;
  if (os_s == "linux") {
    os = OperatingSystem::kLinux;
  } else if (os_s == "macos" || os_s == "darwin") {
    os = OperatingSystem::kMacOS;
  } else {
    return unknown();
  }
  SeparatorPlatform platform = os == OperatingSystem::kMacOS
                                   ? SeparatorPlatform::kAppleOrNonUnix
                                   : SeparatorPlatform::kUnixNotApple;
  absl::StatusOr<ManglingScheme> scheme =
      ManglingScheme::Parse(scheme_name, platform);
  if (!scheme.ok()) return scheme.status();
  formats::OcamlVersion version = formats::OcamlVersion::k413;
  switch (scheme->version()) {
    case ManglingVersion::kOcaml413:
      break;
    case ManglingVersion::kOcaml51:
      version = formats::OcamlVersion::k51;
      break;
    case ManglingVersion::kOcaml54:
      version = formats::OcamlVersion::k54;
      break;
  }
  return TargetSystem(arch, os, *scheme, version);
}

TargetSystem TargetSystem::WithOcamlVersion(
    formats::OcamlVersion version) const {
  ManglingVersion mangling = ManglingVersion::kOcaml413;
  switch (version) {
    case formats::OcamlVersion::k413:
      break;
    case formats::OcamlVersion::k51:
    case formats::OcamlVersion::k52:
    case formats::OcamlVersion::k53:
      mangling = ManglingVersion::kOcaml51;
      break;
    case formats::OcamlVersion::k54:
      mangling = ManglingVersion::kOcaml54;
      break;
  }
  const SeparatorPlatform platform = os_ == OperatingSystem::kMacOS
                                         ? SeparatorPlatform::kAppleOrNonUnix
                                         : SeparatorPlatform::kUnixNotApple;
  return TargetSystem(arch_, os_, ManglingScheme(mangling, platform), version);
}

TargetSystem TargetSystem::Host() {
#if defined(__aarch64__)
  constexpr Architecture kArch = Architecture::kAArch64;
#else
  constexpr Architecture kArch = Architecture::kX86_64;
#endif
#if defined(__APPLE__)
  constexpr OperatingSystem kOs = OperatingSystem::kMacOS;
#else
  constexpr OperatingSystem kOs = OperatingSystem::kLinux;
#endif
  return TargetSystem(kArch, kOs, ManglingScheme::Ocaml413(),
                      formats::OcamlVersion::k413);
}

std::string TargetSystem::Triple() const {
  return fmt::format("{}-{}",
                     arch_ == Architecture::kX86_64 ? "x86_64" : "aarch64",
                     os_ == OperatingSystem::kLinux ? "linux" : "macos");
}

std::string_view TargetSystem::OcamlArchitectureName() const {
  return arch_ == Architecture::kX86_64 ? "amd64" : "arm64";
}

AsmSyntax TargetSystem::asm_syntax() const {
  return AsmSyntax(arch_, object_format(), scheme_);
}

std::string TargetSystem::DefaultAssembler() const {
  if (os_ == OperatingSystem::kMacOS) return "as";
  return arch_ == Architecture::kX86_64 ? "x86_64-linux-gnu-as"
                                        : "aarch64-linux-gnu-as";
}

std::string TargetSystem::DefaultCCompiler() const {
  if (os_ == OperatingSystem::kMacOS) return "cc";
  return arch_ == Architecture::kX86_64 ? "x86_64-linux-gnu-gcc"
                                        : "aarch64-linux-gnu-gcc";
}

}  // namespace camlsym
