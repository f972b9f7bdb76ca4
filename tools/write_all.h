// Writing a whole buffer to a file descriptor: the loop that write(2)
// needs, shared by the output files of the driver and the demangle filter.
#ifndef CAMLSYM_TOOLS_WRITE_ALL_H_
#define CAMLSYM_TOOLS_WRITE_ALL_H_

#include <string_view>

namespace camlsym {

/// Writes all of \p bytes to descriptor \p fd with write(2), again after a
/// partial write or EINTR. Returns false on any other error, with errno
/// set by the failed write (EPIPE, ENOSPC, EIO...); what was written before
/// the error stays written.
bool WriteAll(int fd, std::string_view bytes);

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_WRITE_ALL_H_
