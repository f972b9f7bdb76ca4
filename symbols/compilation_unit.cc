#include "camlsym/symbols/compilation_unit.h"

namespace camlsym {
namespace {

bool IsIdentChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '\'';
}

std::string Printable(char c) {
  if (c >= 0x20 && c < 0x7f) return fmt::format("'{}'", c);
  return fmt::format("byte 0x{:02x}", static_cast<unsigned char>(c));
}

// Checks one component; \p offset is its position within \p whole.
absl::Status CheckName(std::string_view name, size_t offset,
                       std::string_view whole) {
  if (name.empty()) {
    return absl::InvalidArgumentError(fmt::format(
        "invalid compilation unit \"{}\": empty module name at offset {}",
        whole, offset));
  }
  if (!(name[0] >= 'A' && name[0] <= 'Z')) {
    return absl::InvalidArgumentError(fmt::format(
        "invalid compilation unit \"{}\": module name \"{}\" must start with "
        "an uppercase letter, found {} at offset {}",
        whole, name, Printable(name[0]), offset));
  }
  for (size_t i = 1; i < name.size(); ++i) {
    if (!IsIdentChar(name[i])) {
      return absl::InvalidArgumentError(fmt::format(
          "invalid compilation unit \"{}\": bad character {} at offset {} in "
          "module name \"{}\"",
          whole, Printable(name[i]), offset + i, name));
    }
  }
  return absl::OkStatus();
}

std::string PrefixText(const std::vector<UnitName>& prefix) {
  if (prefix.empty()) return "no -for-pack";
  return fmt::format("-for-pack {}", fmt::join(prefix, "."));
}

}  // namespace

absl::StatusOr<UnitName> UnitName::Create(std::string_view name) {
  if (absl::Status s = CheckName(name, 0, name); !s.ok()) return s;
  return UnitName(std::string(name));
}

absl::StatusOr<std::vector<UnitName>> CompilationUnit::ParsePrefix(
    std::string_view for_pack) {
  std::vector<UnitName> out;
  if (for_pack.empty()) return out;
  size_t offset = 0;
  while (true) {
    size_t dot = for_pack.find('.', offset);
    std::string_view part = for_pack.substr(
        offset,
        dot == std::string_view::npos ? std::string_view::npos : dot - offset);
    if (absl::Status s = CheckName(part, offset, for_pack); !s.ok()) return s;
    out.push_back(UnitName::CreateUnchecked(part));
    if (dot == std::string_view::npos) return out;
    offset = dot + 1;
  }
}

absl::StatusOr<CompilationUnit> CompilationUnit::Parse(std::string_view path) {
  if (path.empty()) {
    return absl::InvalidArgumentError(
        "invalid compilation unit \"\": empty name");
  }
  absl::StatusOr<std::vector<UnitName>> parts = ParsePrefix(path);
  if (!parts.ok()) return parts.status();
  UnitName name = parts->back();
  parts->pop_back();
  return CompilationUnit(*std::move(parts), std::move(name));
}

CompilationUnit CompilationUnit::Pseudo(PseudoUnit unit) {
  return CompilationUnit({}, UnitName::CreateUnchecked(PseudoUnitName(unit)));
}
CompilationUnit CompilationUnit::Startup() {
  return Pseudo(PseudoUnit::kStartup);
}
CompilationUnit CompilationUnit::SharedStartup() {
  return Pseudo(PseudoUnit::kSharedStartup);
}
CompilationUnit CompilationUnit::System() {
  return Pseudo(PseudoUnit::kSystem);
}

std::string CompilationUnit::PrefixPath() const {
  return fmt::format("{}", fmt::join(prefix_, "."));
}

std::string CompilationUnit::FullPath() const {
  if (prefix_.empty()) return name_.str();
  return fmt::format("{}.{}", fmt::join(prefix_, "."), name_);
}

absl::Status CheckForPackConsistency(
    const CompilationUnit& implementation,
    const std::vector<UnitName>& interface_prefix) {
  if (implementation.for_pack_prefix() == interface_prefix) {
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(fmt::format(
      "compilation unit {}: the implementation was compiled with {} but the "
      "interface with {}; both must use the same -for-pack prefix",
      implementation.name(), PrefixText(implementation.for_pack_prefix()),
      PrefixText(interface_prefix)));
}

}  // namespace camlsym
