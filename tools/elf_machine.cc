#include "camlsym/tools/elf_machine.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "fmt/format.h"

namespace camlsym {
namespace {

constexpr uint16_t kEmX86_64 = 62;
constexpr uint16_t kEmAArch64 = 183;
constexpr size_t kEMachineOffset = 18;
constexpr std::string_view kArMagic = "!<arch>\n";
constexpr size_t kArHeaderSize = 60;

// Reads \p n bytes at \p offset; false if fewer are there.
bool ReadAt(int fd, uint64_t offset, void* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    ssize_t r = pread(fd, static_cast<char*>(out) + done, n - done,
                      static_cast<off_t>(offset + done));
    if (r <= 0) return false;
    done += static_cast<size_t>(r);
  }
  return true;
}

// The ELF machine of the ELF header at \p offset, if there is one.
std::optional<uint16_t> MachineAt(int fd, uint64_t offset) {
  unsigned char h[20];
  if (!ReadAt(fd, offset, h, sizeof h)) return std::nullopt;
  if (std::memcmp(h,
                  "\x7f"
                  "ELF",
                  4) != 0)
    return std::nullopt;
  // EI_DATA: 1 little-endian, 2 big-endian.
  if (h[5] == 2) return static_cast<uint16_t>(h[18] << 8 | h[19]);
  return static_cast<uint16_t>(h[18] | h[19] << 8);
}

absl::Status Mismatch(std::string_view what, uint16_t found,
                      const TargetSystem& target) {
  return absl::FailedPreconditionError(
      fmt::format("{} was built for {}, but the target is {} ({})", what,
                  ElfMachineName(found), target.Triple(),
                  ElfMachineName(ElfMachineOf(target))));
}

}  // namespace

uint16_t ElfMachineOf(const TargetSystem& target) {
  return target.architecture() == Architecture::kAArch64 ? kEmAArch64
                                                         : kEmX86_64;
}

std::string ElfMachineName(uint16_t machine) {
  switch (machine) {
    case kEmX86_64:
      return "x86-64 (EM_X86_64)";
    case kEmAArch64:
      return "AArch64 (EM_AARCH64)";
    case 3:
      return "i386 (EM_386)";
    case 40:
      return "ARM (EM_ARM)";
    case 243:
      return "RISC-V (EM_RISCV)";
    default:
      return fmt::format("ELF machine {}", machine);
  }
}

absl::Status CheckElfMachine(const std::string& path,
                             const TargetSystem& target) {
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::OkStatus();
  const uint16_t want = ElfMachineOf(target);
  absl::Status result = absl::OkStatus();
  char magic[8];
  if (std::optional<uint16_t> m = MachineAt(fd, 0)) {
    if (*m != want) result = Mismatch(path, *m, target);
  } else if (ReadAt(fd, 0, magic, sizeof magic) &&
             std::string_view(magic, sizeof magic) == kArMagic) {
    // Members: a 60-byte header (name 16, ..., size 10 at 48, "`\n"),
    // then the data, padded to an even offset.
    uint64_t offset = kArMagic.size();
    std::string long_names;
    char header[kArHeaderSize];
    while (result.ok() && ReadAt(fd, offset, header, sizeof header)) {
      const std::string_view name = std::string_view(header, 16);
      const uint64_t size =
          std::strtoull(std::string(header + 48, 10).c_str(), nullptr, 10);
      const uint64_t data = offset + kArHeaderSize;
      if (name.starts_with("// ")) {
        long_names.resize(size);
        if (!ReadAt(fd, data, long_names.data(), size)) break;
      } else if (!name.starts_with("/ ") && !name.starts_with("/SYM64/")) {
        if (std::optional<uint16_t> m = MachineAt(fd, data);
            m.has_value() && *m != want) {
          std::string member(name.substr(0, name.find('/')));
          if (name.starts_with("/")) {
            // GNU long name: "/N" indexes the "//" member.
            const size_t at = std::strtoull(header + 1, nullptr, 10);
            if (at < long_names.size()) {
              member = long_names.substr(at, long_names.find('/', at) - at);
            }
          }
          while (!member.empty() && member.back() == ' ') member.pop_back();
          result = Mismatch(fmt::format("{}({})", path, member), *m, target);
        }
      }
      offset = data + size + (size & 1);
    }
  }
  close(fd);
  return result;
}

}  // namespace camlsym
