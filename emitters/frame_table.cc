#include "camlsym/emitters/frame_table.h"

#include "fmt/format.h"

namespace camlsym {

namespace {

absl::Status Check16(int value, std::string_view what) {
  if (value < 0 || value >= 0x10000) {
    return absl::InvalidArgumentError(fmt::format(
        "frame descriptor {} {} does not fit in 16 bits", what, value));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status EmitFrameTable(DirectiveStream& out,
                            const std::vector<FrameDescriptor>& descriptors,
                            int word_size_bytes) {
  // Validate everything first so that nothing is appended on error.
  for (const FrameDescriptor& fd : descriptors) {
    if (fd.frame_size_bytes % 4 != 0) {
      return absl::InvalidArgumentError(fmt::format(
          "frame size {} is not a multiple of 4", fd.frame_size_bytes));
    }
    if (absl::Status s = Check16(fd.frame_size_bytes + 3, "frame size");
        !s.ok()) {
      return s;
    }
    if (absl::Status s =
            Check16(static_cast<int>(fd.live.size()), "live count");
        !s.ok()) {
      return s;
    }
    for (int slot : fd.live) {
      if (absl::Status s = Check16(slot, "live slot"); !s.ok()) return s;
    }
    if (fd.allocation_words.has_value()) {
      if (fd.allocation_words->size() >= 256) {
        return absl::InvalidArgumentError(
            fmt::format("{} allocations at one point (at most 255)",
                        fd.allocation_words->size()));
      }
      for (int words : *fd.allocation_words) {
        if (words < 2 || words > 257) {
          return absl::InvalidArgumentError(
              fmt::format("allocation of {} words is outside [2, 257]", words));
        }
      }
    }
  }
  out.Quad(static_cast<int64_t>(descriptors.size()));
  for (const FrameDescriptor& fd : descriptors) {
    out.Quad(AsmName(fd.return_address));
    const int flags = fd.allocation_words.has_value() ? 2 : 0;
    out.Word16(fd.frame_size_bytes + flags);
    out.Word16(static_cast<int64_t>(fd.live.size()));
    for (int slot : fd.live) out.Word16(slot);
    if (fd.allocation_words.has_value()) {
      out.Byte(static_cast<int64_t>(fd.allocation_words->size()));
      for (int words : *fd.allocation_words) out.Byte(words - 2);
    }
    out.AlignTo(word_size_bytes);
  }
  return absl::OkStatus();
}

}  // namespace camlsym
