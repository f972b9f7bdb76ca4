#include "camlsym/tools/linker_choice.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "camlsym/tools/program_path.h"
#include "fmt/format.h"

namespace camlsym {
namespace {

constexpr LinkerName kAllLinkers[] = {LinkerName::kBfd, LinkerName::kGold,
                                      LinkerName::kLld, LinkerName::kMold};

// The GNU triple that prefixes a cross toolchain's programs
// (`aarch64-linux-gnu-`), or "" when \p target is the host: collect2 then
// looks for `ld.NAME` itself.
std::string CrossPrefix(const TargetSystem& target) {
  const TargetSystem host = TargetSystem::Host();
  if (target.architecture() == host.architecture() && target.os() == host.os())
    return "";
  if (target.os() != OperatingSystem::kLinux) return "";
  return target.architecture() == Architecture::kX86_64 ? "x86_64-linux-gnu-"
                                                        : "aarch64-linux-gnu-";
}

// lld and mold link for every target from one unprefixed program.
bool IsMultiTarget(LinkerName name) {
  return name == LinkerName::kLld || name == LinkerName::kMold;
}

// The Debian package that installs \p name for a toolchain with \p prefix.
std::string DebianPackage(LinkerName name, const std::string& prefix) {
  switch (name) {
    case LinkerName::kLld:
      return "lld";
    case LinkerName::kMold:
      return "mold";
    case LinkerName::kBfd:
    case LinkerName::kGold:
      break;
  }
  if (prefix.empty()) return "binutils";
  std::string triple = prefix.substr(0, prefix.size() - 1);
  for (char& c : triple) {
    if (c == '_') c = '-';
  }
  return "binutils-" + triple;
}

// \p path with symbolic links resolved (the program that runs), or \p path
// itself if that fails.
std::string Resolved(const std::string& path) {
  return ResolvedPath(path).value_or(path);
}

// A linker program found for a toolchain: its path on PATH, and whether
// the driver needs a private directory to find it (a multi-target linker
// installed unprefixed, for a cross target).
struct Found {
  std::string path;
  bool through_shim = false;
};

// collect2's own name for \p name's program, `ld.NAME` or `TRIPLE-ld.NAME`
// (\p prefix), on PATH; for lld and mold and a cross target, else the
// unprefixed `ld.NAME`.
std::optional<Found> Find(LinkerName name, const std::string& prefix) {
  const std::string ld_name = fmt::format("ld.{}", LinkerNameString(name));
  if (std::optional<std::string> p = FindOnPath(prefix + ld_name)) {
    return Found{*p, false};
  }
  if (!prefix.empty() && IsMultiTarget(name)) {
    if (std::optional<std::string> p = FindOnPath(ld_name)) {
      return Found{*p, true};
    }
  }
  return std::nullopt;
}

}  // namespace

absl::StatusOr<LinkerName> ParseLinkerName(std::string_view s) {
  for (LinkerName name : kAllLinkers) {
    if (s == LinkerNameString(name)) return name;
  }
  return absl::InvalidArgumentError(
      fmt::format("unknown linker '{}' (expected bfd, gold, lld or mold)", s));
}

std::string_view LinkerNameString(LinkerName name) {
  switch (name) {
    case LinkerName::kBfd:
      return "bfd";
    case LinkerName::kGold:
      return "gold";
    case LinkerName::kLld:
      return "lld";
    case LinkerName::kMold:
      return "mold";
  }
  return "?";
}

absl::StatusOr<LinkerChoice> LinkerChoice::Choose(
    std::optional<LinkerName> requested, const TargetSystem& target,
    size_t input_files) {
  const std::string prefix = CrossPrefix(target);
  LinkerChoice choice;
  std::optional<Found> found;
  LinkerName wanted = LinkerName::kMold;
  if (requested.has_value()) {
    wanted = *requested;
    found = Find(wanted, prefix);
    if (!found) {
      const std::string ld_name =
          fmt::format("ld.{}", LinkerNameString(wanted));
      return absl::NotFoundError(fmt::format(
          "--ld={}: the linker is not installed: no {}{} on PATH (Debian's "
          "{} provides it)",
          LinkerNameString(wanted), prefix + ld_name,
          !prefix.empty() && IsMultiTarget(wanted) ? " nor " + ld_name : "",
          DebianPackage(wanted, prefix)));
    }
  } else {
    const bool many = input_files >= kManyLinkerInputs;
    for (LinkerName name : {many ? LinkerName::kLld : LinkerName::kMold,
                            many ? LinkerName::kMold : LinkerName::kLld}) {
      found = Find(name, prefix);
      wanted = name;
      if (found) break;
    }
    if (!found) {
      // The driver's default: whatever `ld` collect2 finds.
      std::optional<std::string> ld = FindOnPath(prefix + "ld");
      choice.program_ = ld ? Resolved(*ld) : prefix + "ld";
      return choice;
    }
  }
  choice.name_ = wanted;
  choice.program_ = Resolved(found->path);
  if (found->through_shim) {
    const std::string ld_name = fmt::format("ld.{}", LinkerNameString(wanted));
    const char* tmp = std::getenv("TMPDIR");
    const std::string base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
    std::string dir = base + "/camlsym-ld.XXXXXX";
    if (mkdtemp(dir.data()) == nullptr) {
      return absl::InternalError(
          fmt::format("cannot create a directory for {} in {}: {}", ld_name,
                      base, std::strerror(errno)));
    }
    choice.shim_dir_ = dir;
    std::string link = fmt::format("{}/{}", dir, ld_name);
    if (symlink(choice.program_.c_str(), link.c_str()) != 0) {
      return absl::InternalError(
          fmt::format("cannot create {}: {}", link, std::strerror(errno)));
    }
    choice.shim_link_ = link;
    choice.flags_.push_back(fmt::format("-B{}/", dir));
  }
  choice.flags_.push_back(fmt::format("-fuse-ld={}", LinkerNameString(wanted)));
  return choice;
}

LinkerChoice::LinkerChoice(LinkerChoice&& other) noexcept
    : name_(other.name_),
      program_(std::move(other.program_)),
      flags_(std::move(other.flags_)),
      shim_dir_(std::move(other.shim_dir_)),
      shim_link_(std::move(other.shim_link_)) {
  other.shim_dir_.clear();
  other.shim_link_.clear();
}

LinkerChoice::~LinkerChoice() {
  if (!shim_link_.empty()) unlink(shim_link_.c_str());
  if (!shim_dir_.empty()) rmdir(shim_dir_.c_str());
}

std::string LinkerChoice::Describe() const {
  if (!name_.has_value()) {
    return fmt::format("the C compiler's default ({})", program_);
  }
  return fmt::format("{} ({})", LinkerNameString(*name_), program_);
}

}  // namespace camlsym
