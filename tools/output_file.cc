#include "camlsym/tools/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "absl/container/flat_hash_set.h"
#include "camlsym/tools/write_all.h"
#include "fmt/format.h"

namespace camlsym {
namespace {

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string Basename(const std::string& path) {
  return path.substr(path.rfind('/') + 1);
}

// A file's identity: its device and inode, or for a file that does not
// exist, its directory's and its name.
struct Identity {
  dev_t dev;
  ino_t ino;
  std::string name;  // Empty for an existing file.
  friend bool operator==(const Identity&, const Identity&) = default;
};

std::optional<Identity> IdentityOf(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) == 0) return Identity{st.st_dev, st.st_ino, ""};
  if (errno != ENOENT) return std::nullopt;
  if (stat(Dirname(path).c_str(), &st) != 0) return std::nullopt;
  return Identity{st.st_dev, st.st_ino, Basename(path)};
}

absl::Status WriteError(const std::string& path, int err) {
  std::string msg =
      fmt::format("cannot write {}: {}", path, std::strerror(err));
  return err == EACCES || err == EPERM ? absl::PermissionDeniedError(msg)
                                       : absl::InternalError(msg);
}

// WriteAll as a Status (InternalError with strerror's text).
absl::Status WriteAllStatus(int fd, std::string_view contents) {
  if (WriteAll(fd, contents)) return absl::OkStatus();
  return absl::InternalError(std::strerror(errno));
}

}  // namespace

mode_t OutputPermissions(OutputKind kind) {
  // umask() can only be read by setting it; the driver creates no file
  // between the two calls.
  const mode_t mask = umask(0);
  umask(mask);
  return (kind == OutputKind::kExecutable ? 0777 : 0666) & ~mask;
}

absl::Status CheckNotAnInput(const FileRole& output,
                             const std::vector<FileRole>& inputs) {
  struct stat out;
  if (stat(output.path.c_str(), &out) != 0) return absl::OkStatus();
  // A link names most files twice or more (a unit's .cmx as an input and as
  // a unit, its .o as a unit's object and as the linker's): each spelling
  // is looked up once, under the first role given for it, which is the
  // one a clash would report.
  absl::flat_hash_set<std::string_view> checked;
  checked.reserve(inputs.size());
  for (const FileRole& in : inputs) {
    if (!checked.insert(in.path).second) continue;
    formats::FileIdentity id;
    if (in.identity.has_value()) {
      id = *in.identity;
    } else {
      struct stat st;
      if (stat(in.path.c_str(), &st) != 0) continue;
      id = {static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)};
    }
    if (id.device == static_cast<uint64_t>(out.st_dev) &&
        id.inode == static_cast<uint64_t>(out.st_ino)) {
      const std::string spelled =
          in.path == output.path ? "" : fmt::format(" ({})", in.path);
      return absl::InvalidArgumentError(
          fmt::format("{} is both {} and {}{}: refusing to overwrite an input",
                      output.path, output.role, in.role, spelled));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckDistinctOutputs(const FileRole& a, const FileRole& b) {
  std::optional<Identity> ia = IdentityOf(a.path);
  std::optional<Identity> ib = IdentityOf(b.path);
  if (ia.has_value() && ib.has_value() && *ia == *ib) {
    return absl::InvalidArgumentError(
        fmt::format("{} is both {} and {} ({}): give them different names",
                    a.path, a.role, b.role, b.path));
  }
  return absl::OkStatus();
}

absl::StatusOr<PendingOutput> PendingOutput::Create(const std::string& path,
                                                    OutputKind kind) {
  std::string temp =
      fmt::format("{}/.{}.camlsymXXXXXX", Dirname(path), Basename(path));
  // Create and register with interrupts held, so that no signal can leave
  // an unregistered temporary.
  ScopedInterruptBlock block;
  int fd = mkstemp(temp.data());
  if (fd < 0) return WriteError(path, errno);
  close(fd);
  absl::StatusOr<TemporaryRegistration> reg =
      TemporaryRegistration::Register(temp, TemporaryKind::kFile);
  if (!reg.ok()) {
    unlink(temp.c_str());
    return reg.status();
  }
  return PendingOutput(path, std::move(temp), kind, *std::move(reg));
}

PendingOutput::PendingOutput(PendingOutput&& other) noexcept
    : path_(std::move(other.path_)),
      temp_path_(std::move(other.temp_path_)),
      kind_(other.kind_),
      registration_(std::move(other.registration_)) {
  other.temp_path_.clear();
}

PendingOutput::~PendingOutput() {
  if (temp_path_.empty()) return;
  unlink(temp_path_.c_str());
  registration_.Release();
}

absl::Status PendingOutput::Write(std::string_view contents) {
  int fd = open(temp_path_.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) return WriteError(path_, errno);
  absl::Status s = WriteAllStatus(fd, contents);
  if (close(fd) != 0 && s.ok()) s = absl::InternalError(std::strerror(errno));
  if (!s.ok()) {
    return absl::InternalError(
        fmt::format("cannot write {}: {}", path_, std::string(s.message())));
  }
  return absl::OkStatus();
}

absl::Status PendingOutput::Commit() {
  if (chmod(temp_path_.c_str(), OutputPermissions(kind_)) != 0 ||
      rename(temp_path_.c_str(), path_.c_str()) != 0) {
    return WriteError(path_, errno);
  }
  // Renamed: nothing left to remove.
  registration_.Release();
  temp_path_.clear();
  return absl::OkStatus();
}

absl::Status WriteFileAtomically(const std::string& path,
                                 std::string_view contents, OutputKind kind) {
  absl::StatusOr<PendingOutput> out = PendingOutput::Create(path, kind);
  if (!out.ok()) return out.status();
  if (absl::Status s = out->Write(contents); !s.ok()) return s;
  return out->Commit();
}

absl::Status WriteToStdout(std::string_view contents) {
  std::fflush(stdout);
  if (absl::Status s = WriteAllStatus(STDOUT_FILENO, contents); !s.ok()) {
    return absl::InternalError(fmt::format(
        "cannot write to standard output: {}", std::string(s.message())));
  }
  return absl::OkStatus();
}

}  // namespace camlsym
