// Output files of the driver: written under a temporary name beside the
// output, given ocamlopt's permissions and renamed into place only when
// complete, so that a failed or interrupted link never changes an existing
// output; and never one of the link's inputs, compared by identity (device
// and inode), not by spelling.
//
// ocamlopt gets its permissions from the tools it runs: gcc/ld create
// executables and shared objects `0777 & ~umask`, and every other file
// (objects, assembly) `0666 & ~umask`. It refuses `-o` on an input only
// through gcc's own check; camlsym links into a temporary name, where gcc
// cannot see the clash, so it checks itself.
//
// Mirrors: utils/ccomp.ml `call_linker` (the output gcc writes) and
// asmcomp/asmlink.ml `link` (OCaml 4.13.1).
#ifndef CAMLSYM_TOOLS_OUTPUT_FILE_H_
#define CAMLSYM_TOOLS_OUTPUT_FILE_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "camlsym/formats/cmx.h"
#include "camlsym/tools/interrupt_cleanup.h"

namespace camlsym {

/// What an output is, which decides its permissions.
enum class OutputKind {
  kExecutable,  ///< Executables and plugins: 0777 & ~umask.
  kData,        ///< Objects, assembly, anything else: 0666 & ~umask.
};

/// The permission bits an output of \p kind gets under the process's
/// current umask.
mode_t OutputPermissions(OutputKind kind);

/// A file of a link and what it is to the link, for messages: e.g.
/// {"main.o", "the object file of unit Main (main.cmx)"}.
struct FileRole {
  std::string path;
  std::string role;
  /// The file's identity when known already (from the fstat of its reading:
  /// formats::CmxFile::file_identity), which spares CheckNotAnInput a stat
  /// of \p path; nullopt to have it stat \p path.
  std::optional<formats::FileIdentity> identity = std::nullopt;
};

/// kInvalidArgument if \p output is the same file (same device and inode)
/// as one of \p inputs, naming the file and both roles; nothing is touched.
/// Inputs that do not exist cannot clash and are skipped. An input's
/// FileRole::identity, when given, is used instead of a stat of its path.
absl::Status CheckNotAnInput(const FileRole& output,
                             const std::vector<FileRole>& inputs);

/// kInvalidArgument if \p a and \p b name the same file (existing: same
/// device and inode; not yet existing: the same name in the same
/// directory), naming both roles.
absl::Status CheckDistinctOutputs(const FileRole& a, const FileRole& b);

/// An output being written: a temporary file beside \p path (same
/// directory, so the final rename is atomic), registered for removal on
/// interruption (interrupt_cleanup.h). Commit() gives it its permissions
/// and renames it onto the output; destroying an uncommitted PendingOutput
/// removes the temporary, leaving any previous output as it was.
class PendingOutput {
 public:
  /// Creates the temporary. kPermissionDenied / kInternal naming \p path if
  /// its directory cannot be written.
  static absl::StatusOr<PendingOutput> Create(const std::string& path,
                                              OutputKind kind);
  PendingOutput(PendingOutput&& other) noexcept;
  PendingOutput& operator=(PendingOutput&&) = delete;
  PendingOutput(const PendingOutput&) = delete;
  PendingOutput& operator=(const PendingOutput&) = delete;
  ~PendingOutput();

  /// The temporary's name, for a tool to write (e.g. `gcc -o`).
  const std::string& temp_path() const { return temp_path_; }
  /// Replaces the temporary's contents with \p contents. kInternal naming
  /// the output on a write error (e.g. a full disk).
  absl::Status Write(std::string_view contents);
  /// Sets the permissions and renames the temporary onto the output.
  /// kInternal naming the output if either fails (the temporary is then
  /// removed by the destructor).
  absl::Status Commit();

 private:
  PendingOutput(std::string path, std::string temp_path, OutputKind kind,
                TemporaryRegistration registration)
      : path_(std::move(path)),
        temp_path_(std::move(temp_path)),
        kind_(kind),
        registration_(std::move(registration)) {}
  std::string path_;
  std::string temp_path_;  // Empty once committed or moved from.
  OutputKind kind_;
  TemporaryRegistration registration_;
};

/// PendingOutput::Create, Write and Commit in one call.
absl::Status WriteFileAtomically(const std::string& path,
                                 std::string_view contents, OutputKind kind);

/// Writes \p contents to standard output (`-o -`). kInternal on a write
/// error.
absl::Status WriteToStdout(std::string_view contents);

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_OUTPUT_FILE_H_
