// A small OCaml compiler driver built on camlsym: the link step of
// `ocamlopt -o prog a.cmx b.cmx` for the host. It plans the link of the
// given .cmx files (camlsym's PlanLink, with the host's standard library),
// writes the startup object through the library (CompileStartup, camlsym's
// own assembler), and calls the C compiler on the startup object, the
// units' objects, the libraries and the OCaml runtime, in ocamlopt's order.
//
// usage: driver [--verbose] -o PROG FILE.cmx|FILE.cmxa|FILE.o...
//
// Errors (a missing or inconsistent .cmx, a failing C compiler) are printed
// with the file's name, and the exit status is 1.
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "camlsym/linking_state/link_plan.h"
#include "camlsym/linking_state/link_startup.h"
#include "camlsym/target_system/target_system.h"
#include "fmt/format.h"
#include "fmt/ranges.h"

extern char** environ;

namespace {

// The first line of `ocamlopt -where`: the standard library directory.
absl::StatusOr<std::string> OcamlWhere() {
  FILE* p = popen("ocamlopt -where 2>/dev/null", "r");
  if (p == nullptr) return absl::NotFoundError("cannot run ocamlopt -where");
  char buf[4096];
  std::string out;
  if (fgets(buf, sizeof buf, p) != nullptr) out = buf;
  if (pclose(p) != 0 || out.empty()) {
    return absl::NotFoundError("ocamlopt -where failed: is OCaml installed?");
  }
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
    out.pop_back();
  }
  return out;
}

// Writes \p bytes to \p path.
absl::Status WriteFile(const std::string& path, const std::string& bytes) {
  FILE* f = fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return absl::InternalError(
        fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  }
  const bool ok = fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  if (fclose(f) != 0 || !ok) {
    return absl::InternalError(fmt::format("cannot write {}", path));
  }
  return absl::OkStatus();
}

// Runs \p argv, waiting for it; an error names the program and its status.
absl::Status Run(const std::vector<std::string>& argv, bool verbose) {
  if (verbose) fmt::print(stderr, "+ {}\n", fmt::join(argv, " "));
  std::vector<char*> cargv;
  for (const std::string& a : argv) {
    cargv.push_back(const_cast<char*>(a.c_str()));
  }
  cargv.push_back(nullptr);
  pid_t pid;
  if (int rc =
          posix_spawnp(&pid, cargv[0], nullptr, nullptr, cargv.data(), environ);
      rc != 0) {
    return absl::InternalError(
        fmt::format("cannot run {}: {}", argv[0], std::strerror(rc)));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return absl::InternalError("waitpid failed");
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return absl::InternalError(fmt::format("{} failed", argv[0]));
  }
  return absl::OkStatus();
}

absl::Status Link(const std::vector<std::string>& inputs,
                  const std::string& output, bool verbose) {
  const camlsym::TargetSystem target = camlsym::TargetSystem::Host();
  absl::StatusOr<std::string> stdlib = OcamlWhere();
  if (!stdlib.ok()) return stdlib.status();

  // 1. Plan the link as ocamlopt does: stdlib.cmxa first, std_exit.cmx
  //    last, the units needed, their order and consistency.
  camlsym::LinkOptions options;
  options.stdlib_dir = *stdlib;
  absl::StatusOr<camlsym::LinkPlan> plan = camlsym::PlanLink(inputs, options);
  if (!plan.ok()) return plan.status();

  // 2. The startup object, assembled by camlsym.
  absl::StatusOr<camlsym::OutputFiles> startup =
      camlsym::CompileStartup(*plan, target, {.object = true});
  if (!startup.ok()) return startup.status();
  char dir[] = "/tmp/driverXXXXXX";
  if (mkdtemp(dir) == nullptr) {
    return absl::InternalError("cannot create a temporary directory");
  }
  const std::string startup_o = fmt::format("{}/startup.o", dir);
  absl::Status s = WriteFile(startup_o, startup->object);

  // 3. The C compiler links everything, in ocamlopt's order.
  if (s.ok()) {
    std::vector<std::string> argv = {target.DefaultCCompiler(), "-o", output,
                                     "-Wl,-E"};
    for (const std::string& d : plan->library_dirs) argv.push_back("-L" + d);
    argv.insert(argv.end(), plan->ccopts.begin(), plan->ccopts.end());
    argv.push_back(startup_o);
    argv.insert(argv.end(), plan->linker_inputs.begin(),
                plan->linker_inputs.end());
    argv.insert(argv.end(), {plan->runtime_lib, "-lm", "-pthread"});
    s = Run(argv, verbose);
  }
  unlink(startup_o.c_str());
  rmdir(dir);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::string output;
  std::vector<std::string> inputs;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-o" && i + 1 < argc) {
      output = argv[++i];
    } else if (a == "--verbose") {
      verbose = true;
    } else {
      inputs.push_back(a);
    }
  }
  if (output.empty() || inputs.empty()) {
    fmt::print(
        stderr,
        "usage: driver [--verbose] -o PROG FILE.cmx|FILE.cmxa|FILE.o...\n");
    return 2;
  }
  if (absl::Status s = Link(inputs, output, verbose); !s.ok()) {
    fmt::print(stderr, "driver: {}\n", std::string(s.message()));
    return 1;
  }
  return 0;
}
