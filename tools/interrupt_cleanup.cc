#include "camlsym/tools/interrupt_cleanup.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "absl/status/statusor.h"
#include "fmt/format.h"

namespace camlsym {
namespace {

constexpr int kSlots = 64;
constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

// A slot holds a heap copy of a path (owned by the slot while set) and its
// kind. The handler only reads the pointers.
struct Slot {
  std::atomic<char*> path{nullptr};
  std::atomic<TemporaryKind> kind{TemporaryKind::kFile};
};
std::array<Slot, kSlots> slots;
std::atomic<pid_t> running_tool{0};

void RemoveAll(TemporaryKind kind) {
  for (Slot& s : slots) {
    const char* p = s.path.load();
    if (p == nullptr || s.kind.load() != kind) continue;
    if (kind == TemporaryKind::kFile) {
      unlink(p);
    } else {
      rmdir(p);
    }
  }
}

void OnSignal(int sig) {
  const int saved_errno = errno;
  if (pid_t pid = running_tool.load(); pid > 0) {
    // The tool's process group: the tool and what it runs.
    kill(-pid, sig);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  RemoveAll(TemporaryKind::kFile);
  RemoveAll(TemporaryKind::kDirectory);
  // SA_RESETHAND restored the default action: end by the same signal once
  // the handler returns and the signal is unblocked.
  errno = saved_errno;
  raise(sig);
}

sigset_t InterruptSignals() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : kSignals) sigaddset(&set, sig);
  return set;
}

}  // namespace

void InstallInterruptCleanup() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : kSignals) {
      struct sigaction old;
      if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler == SIG_IGN) {
        continue;
      }
      struct sigaction sa;
      std::memset(&sa, 0, sizeof sa);
      sa.sa_handler = &OnSignal;
      sa.sa_mask = InterruptSignals();
      sa.sa_flags = SA_RESETHAND;
      sigaction(sig, &sa, nullptr);
    }
  });
}

absl::StatusOr<TemporaryRegistration> TemporaryRegistration::Register(
    const std::string& path, TemporaryKind kind) {
  for (int i = 0; i < kSlots; ++i) {
    char* expected = nullptr;
    // Claim the slot with a placeholder, set its kind, then publish the
    // path: the handler never sees a path with another slot's kind.
    static char placeholder[] = "";
    if (!slots[i].path.compare_exchange_strong(expected, placeholder)) {
      continue;
    }
    slots[i].kind.store(kind);
    slots[i].path.store(strdup(path.c_str()));
    return TemporaryRegistration(i);
  }
  return absl::ResourceExhaustedError(
      fmt::format("cannot register the temporary {}: {} temporaries already",
                  path, kSlots));
}

TemporaryRegistration& TemporaryRegistration::operator=(
    TemporaryRegistration&& other) noexcept {
  if (this != &other) {
    Release();
    slot_ = other.slot_;
    other.slot_ = -1;
  }
  return *this;
}

void TemporaryRegistration::Release() {
  if (slot_ < 0) return;
  // Unpublish before freeing, signals blocked so that the handler of this
  // thread cannot run between the two.
  ScopedInterruptBlock block;
  char* p = slots[slot_].path.exchange(nullptr);
  if (p != nullptr && p[0] != '\0') std::free(p);
  slot_ = -1;
}

ScopedInterruptBlock::ScopedInterruptBlock() {
  static_assert(sizeof(sigset_t) <= sizeof(saved_));
  sigset_t set = InterruptSignals();
  pthread_sigmask(SIG_BLOCK, &set, reinterpret_cast<sigset_t*>(saved_));
}

ScopedInterruptBlock::~ScopedInterruptBlock() {
  pthread_sigmask(SIG_SETMASK, reinterpret_cast<sigset_t*>(saved_), nullptr);
}

void HoldInterruptsUntilExit() {
  sigset_t set = InterruptSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

void SetRunningTool(pid_t pid) { running_tool.store(pid); }

}  // namespace camlsym
