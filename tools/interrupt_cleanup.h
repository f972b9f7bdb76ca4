// Cleanup on interruption: the temporary files and directories that the
// driver creates (next to an output, and in $TMPDIR) are registered here
// while they exist, and a SIGINT, SIGTERM or SIGHUP removes them, stops the
// tool the driver is waiting for, and ends the process by the same signal
// (so that its parent sees it killed by the signal: shells report status
// 128 + the signal's number). Outputs are only ever renamed into place, so
// an interrupted link leaves the previous output as it was.
//
// Everything the handler does is async-signal-safe (kill, waitpid, unlink,
// rmdir, sigaction, raise) and reads only the fixed table of registered
// paths, whose slots are claimed and released with atomics.
//
// Mirrors: utils/misc.ml `try_finally` / `remove_file` in
// driver/optmain.ml's error paths (OCaml 4.13.1), where ocamlopt removes its
// temporary files on an exception such as Sys.Break.
#ifndef CAMLSYM_TOOLS_INTERRUPT_CLEANUP_H_
#define CAMLSYM_TOOLS_INTERRUPT_CLEANUP_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace camlsym {

/// Installs the handler for SIGINT, SIGTERM and SIGHUP (once; later calls do
/// nothing). A signal that was ignored when the process started (e.g.
/// SIGHUP under nohup) stays ignored, as ocamlopt's runtime leaves it.
void InstallInterruptCleanup();

/// What a registered path is, which decides how the handler removes it.
enum class TemporaryKind {
  kFile,       ///< unlink()ed.
  kDirectory,  ///< rmdir()ed, after every registered file.
};

/// A registered temporary path; unregisters itself when destroyed (without
/// removing the path: its owner does that, or has renamed it). Movable,
/// not copyable.
class TemporaryRegistration {
 public:
  /// Registers \p path. kResourceExhausted if the fixed table (64 paths) is
  /// full, which the driver never reaches: it has at most a few temporaries
  /// at a time.
  static absl::StatusOr<TemporaryRegistration> Register(const std::string& path,
                                                        TemporaryKind kind);
  TemporaryRegistration(TemporaryRegistration&& other) noexcept
      : slot_(other.slot_) {
    other.slot_ = -1;
  }
  TemporaryRegistration& operator=(TemporaryRegistration&& other) noexcept;
  TemporaryRegistration(const TemporaryRegistration&) = delete;
  TemporaryRegistration& operator=(const TemporaryRegistration&) = delete;
  ~TemporaryRegistration() { Release(); }

  /// Unregisters now (idempotent).
  void Release();

 private:
  explicit TemporaryRegistration(int slot) : slot_(slot) {}
  int slot_ = -1;
};

/// Blocks SIGINT, SIGTERM and SIGHUP for the lifetime of the object (in the
/// calling thread), so that creating a temporary and registering it happen
/// together: a signal arriving in between is delivered after both.
class ScopedInterruptBlock {
 public:
  ScopedInterruptBlock();
  ~ScopedInterruptBlock();
  ScopedInterruptBlock(const ScopedInterruptBlock&) = delete;
  ScopedInterruptBlock& operator=(const ScopedInterruptBlock&) = delete;

 private:
  unsigned char saved_[128];  // The previous sigset_t.
};

/// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread for the rest of
/// the process. Called just before the rename that puts the final output in
/// place: from then on the run is complete, so a signal arriving between the
/// rename and the exit must not end the process as interrupted (128+signal)
/// with the new output already in place; the process exits normally instead.
void HoldInterruptsUntilExit();

/// Records \p pid as the tool being waited for (0: none), the leader of a
/// process group of its own. On a signal, the handler sends that group the
/// same signal and waits for the tool before removing the temporaries, so
/// that neither it nor what it started writes to them afterwards.
void SetRunningTool(pid_t pid);

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_INTERRUPT_CLEANUP_H_
