#include "camlsym/tools/link_driver.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "camlsym/emitters/object_streamer.h"
#include "camlsym/emitters/startup.h"
#include "camlsym/formats/ocaml_version.h"
#include "camlsym/linking_state/globals_map.h"
#include "camlsym/linking_state/plugin_header.h"
#include "fmt/format.h"
#include "fmt/ranges.h"

extern char** environ;

namespace camlsym {
namespace {

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string Quote(const std::string& s) {
  if (!s.empty() && s.find_first_of(" '\"\\$`") == std::string::npos) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs \p argv (argv[0] looked up on PATH), its stdout and stderr going
// where ours go. kInternal if it cannot start or exits non-zero.
absl::Status RunTool(const std::vector<std::string>& argv, bool verbose,
                     std::FILE* log) {
  if (verbose) {
    std::vector<std::string> q;
    for (const std::string& a : argv) q.push_back(Quote(a));
    fmt::print(log, "+ {}\n", fmt::join(q, " "));
    std::fflush(log);
  }
  std::vector<char*> cargv;
  for (const std::string& a : argv)
    cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  pid_t pid;
  int rc =
      posix_spawnp(&pid, cargv[0], nullptr, nullptr, cargv.data(), environ);
  if (rc != 0) {
    return absl::InternalError(
        fmt::format("cannot run {}: {}", argv[0], std::strerror(rc)));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return absl::InternalError(
          fmt::format("waiting for {}: {}", argv[0], std::strerror(errno)));
    }
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  if (WIFEXITED(status)) {
    return absl::InternalError(fmt::format("{} failed with exit code {}",
                                           argv[0], WEXITSTATUS(status)));
  }
  return absl::InternalError(
      fmt::format("{} was killed by signal {}", argv[0], WTERMSIG(status)));
}

// A private temporary directory, removed with its contents on destruction.
class TempDir {
 public:
  static absl::StatusOr<TempDir> Create() {
    const char* base = std::getenv("TMPDIR");
    std::string templ =
        fmt::format("{}/camlsymXXXXXX", base != nullptr ? base : "/tmp");
    if (mkdtemp(templ.data()) == nullptr) {
      return absl::InternalError(fmt::format(
          "cannot create a temporary directory: {}", std::strerror(errno)));
    }
    return TempDir(templ);
  }
  TempDir(TempDir&& o) noexcept : path_(std::move(o.path_)) { o.path_.clear(); }
  ~TempDir() {
    if (path_.empty()) return;
    for (const char* f : {"startup.s", "startup.o"}) {
      unlink(fmt::format("{}/{}", path_, f).c_str());
    }
    rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string p) : path_(std::move(p)) {}
  std::string path_;
};

// A mkstemp template for a temporary file beside \p path, in the same
// directory (so that rename() onto \p path is atomic).
std::string TempTemplateBeside(const std::string& path) {
  return fmt::format("{}/.{}.camlsymXXXXXX", Dirname(path),
                     path.substr(path.rfind('/') + 1));
}

bool IsDirectory(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

absl::Status WriteFileAtomically(const std::string& path,
                                 std::string_view contents) {
  std::string tmp = TempTemplateBeside(path);
  int fd = mkstemp(tmp.data());
  if (fd < 0) {
    int e = errno;
    std::string msg =
        fmt::format("cannot write {}: {}", path, std::strerror(e));
    return e == EACCES ? absl::PermissionDeniedError(msg)
                       : absl::InternalError(msg);
  }
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int e = errno;
      close(fd);
      unlink(tmp.c_str());
      return absl::InternalError(
          fmt::format("cannot write {}: {}", path, std::strerror(e)));
    }
    done += static_cast<size_t>(n);
  }
  fchmod(fd, 0644);
  if (close(fd) != 0 || rename(tmp.c_str(), path.c_str()) != 0) {
    int e = errno;
    unlink(tmp.c_str());
    return absl::InternalError(
        fmt::format("cannot write {}: {}", path, std::strerror(e)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> DefaultStdlibDir(const TargetSystem& target) {
  if (target == TargetSystem::Host() ||
      (target.architecture() == TargetSystem::Host().architecture() &&
       target.os() == TargetSystem::Host().os())) {
    // As ocamlopt itself: OCAMLLIB, then CAMLLIB, override the configured
    // directory, which `ocamlopt -where` prints.
    for (const char* var : {"OCAMLLIB", "CAMLLIB"}) {
      const char* v = std::getenv(var);
      if (v != nullptr && *v != '\0' && IsDirectory(v)) return std::string(v);
    }
    FILE* p = popen("ocamlopt -where 2>/dev/null", "r");
    std::string out;
    if (p != nullptr) {
      char buf[4096];
      size_t n;
      while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
      pclose(p);
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) {
      out.pop_back();
    }
    if (!out.empty() && IsDirectory(out)) return out;
    return absl::NotFoundError(
        "no OCaml standard library: `ocamlopt -where` failed; pass "
        "--ocaml-stdlib=DIR");
  }
  if (target.architecture() == Architecture::kAArch64 &&
      target.os() == OperatingSystem::kLinux) {
    const char* cache = std::getenv("CAMLSYM_CACHE");
    const char* home = std::getenv("HOME");
    std::string base =
        cache != nullptr
            ? std::string(cache)
            : fmt::format("{}/.cache/camlsym", home != nullptr ? home : "");
    std::string dir = base + "/arm64-ocaml/usr/lib/ocaml";
    if (IsDirectory(dir)) return dir;
    return absl::NotFoundError(fmt::format(
        "no arm64 OCaml standard library at {} (scripts/install-deps.sh "
        "unpacks it); pass --ocaml-stdlib=DIR",
        dir));
  }
  return absl::NotFoundError(fmt::format(
      "no default OCaml standard library for {}; pass --ocaml-stdlib=DIR",
      target.Triple()));
}

// The units' infos (imports and all) are the bulk of a large plan and the
// startup file has taken what it needs from them: free them before the
// emitter builds its own structures, so the two never peak together.
namespace {
void ReleaseUnits(LinkPlan& plan) {
  std::vector<PlannedUnit>().swap(plan.units);
  std::vector<InterfaceCrc>().swap(plan.crc_interfaces);
}
}  // namespace

absl::StatusOr<std::string> StartupAssembly(LinkPlan& plan,
                                            const TargetSystem& target) {
  absl::StatusOr<StartupFiles> files =
      MakeStartup(plan, target, {.assembly = true});
  if (!files.ok()) return files.status();
  return std::move(files->assembly);
}

absl::StatusOr<StartupFiles> MakeStartup(LinkPlan& plan,
                                         const TargetSystem& target,
                                         StartupForms forms) {
  if (plan.version != formats::OcamlVersion::k413) {
    return absl::UnimplementedError(fmt::format(
        "the inputs are OCaml {}'s: camlsym reads them and checks the link "
        "as that version's ocamlopt, but does not yet write its startup file",
        formats::VersionName(plan.version)));
  }
  if (plan.mode == LinkMode::kPlugin) {
    // asmlink.ml make_shared_startup_file: the units' own generic functions,
    // the plugin header and caml_globals (of ui_symbol, not ui_defines).
    absl::StatusOr<std::string> header =
        MarshalPluginHeader(plan.units, plan.version);
    if (!header.ok()) return header.status();
    SharedStartupSpec spec;
    for (const PlannedUnit& u : plan.units) {
      spec.unit_symbols.push_back(u.info.symbol);
    }
    spec.curry = plan.curry_functions;
    spec.apply = plan.apply_functions;
    spec.send = plan.send_functions;
    spec.plugin_header = *std::move(header);
    ReleaseUnits(plan);
    return MakeSharedStartupFiles(target, spec, forms);
  }
  absl::StatusOr<std::string> map = MarshalGlobalsMap(plan);
  if (!map.ok()) return map.status();
  StartupSpec spec;
  for (const PlannedUnit& u : plan.units) {
    spec.unit_symbols.insert(spec.unit_symbols.end(), u.info.defines.begin(),
                             u.info.defines.end());
  }
  spec.curry = plan.curry_functions;
  spec.apply = plan.apply_functions;
  spec.send = plan.send_functions;
  spec.globals_map = *std::move(map);
  ReleaseUnits(plan);
  return MakeStartupFiles(target, spec, forms);
}

absl::Status WriteStartup(const LinkRequest& request) {
  auto t0 = std::chrono::steady_clock::now();
  // The startup file does not depend on the units' object files.
  LinkOptions options = request.options;
  options.check_object_files = CheckObjectFiles::kNo;
  absl::StatusOr<LinkPlan> plan = PlanLink(request.inputs, options);
  if (!plan.ok()) return plan.status();
  auto t1 = std::chrono::steady_clock::now();
  const bool object = request.output.ends_with(".o");
  absl::StatusOr<StartupFiles> startup = MakeStartup(
      *plan, request.target, {.assembly = !object, .object = object});
  if (!startup.ok()) return startup.status();
  auto t2 = std::chrono::steady_clock::now();
  absl::Status s = WriteFileAtomically(
      request.output, object ? startup->object : startup->assembly);
  auto t3 = std::chrono::steady_clock::now();
  if (std::getenv("CAMLSYM_TIMINGS") != nullptr) {
    auto ms = [](auto a, auto b) {
      return std::chrono::duration<double, std::milli>(b - a).count();
    };
    fmt::print(stderr, "plan {:.1f} ms, startup {:.1f} ms, write {:.1f} ms\n",
               ms(t0, t1), ms(t1, t2), ms(t2, t3));
  }
  return s;
}

absl::Status Link(const LinkRequest& request, std::FILE* log) {
  absl::StatusOr<LinkPlan> plan = PlanLink(request.inputs, request.options);
  if (!plan.ok()) return plan.status();
  // The integrated assembler, unless an assembler was named or the target
  // has none. The startup is emitted once, in the forms needed.
  const bool integrated = request.integrated_assembler &&
                          request.assembler.empty() &&
                          ElfObjectStreamer::Supports(request.target);
  absl::StatusOr<StartupFiles> startup =
      MakeStartup(*plan, request.target,
                  {.assembly = !integrated || request.keep_startup.has_value(),
                   .object = integrated});
  if (!startup.ok()) return startup.status();
  if (request.keep_startup.has_value()) {
    if (absl::Status s =
            WriteFileAtomically(*request.keep_startup, startup->assembly);
        !s.ok()) {
      return s;
    }
  }
  absl::StatusOr<TempDir> tmp = TempDir::Create();
  if (!tmp.ok()) return tmp.status();
  const std::string startup_s = tmp->path() + "/startup.s";
  const std::string startup_o = tmp->path() + "/startup.o";
  const std::string cc = request.c_compiler.empty()
                             ? request.target.DefaultCCompiler()
                             : request.c_compiler;
  if (integrated) {
    if (absl::Status s = WriteFileAtomically(startup_o, startup->object);
        !s.ok()) {
      return s;
    }
    if (request.verbose) {
      fmt::print(log, "+ (integrated assembler) {} ({} bytes)\n", startup_o,
                 startup->object.size());
    }
  } else {
    if (absl::Status s = WriteFileAtomically(startup_s, startup->assembly);
        !s.ok()) {
      return s;
    }
    const std::string as = request.assembler.empty()
                               ? request.target.DefaultAssembler()
                               : request.assembler;
    if (absl::Status s =
            RunTool({as, "-o", startup_o, startup_s}, request.verbose, log);
        !s.ok()) {
      return s;
    }
  }
  // Link to a temporary name beside the output, then rename.
  std::string out_tmp = TempTemplateBeside(request.output);
  int fd = mkstemp(out_tmp.data());
  if (fd < 0) {
    return absl::InternalError(fmt::format(
        "cannot write {}: {}", request.output, std::strerror(errno)));
  }
  close(fd);
  std::vector<std::string> argv = {cc};
  const bool ocaml4 = plan->version == formats::OcamlVersion::k413;
  if (plan->mode == LinkMode::kPlugin) {
    // Debian's Config.mkdll, as `ocamlopt -shared -verbose` shows it.
    argv.push_back("-shared");
    if (ocaml4) argv.insert(argv.end(), {"-Wl,-z,relro", "-Wl,-z,now"});
    argv.insert(argv.end(), {"-Wl,-z,relro", "-Wl,-z,now"});
  } else if (ocaml4) {
    argv.insert(argv.end(), {"-O2", "-fno-strict-aliasing", "-fwrapv",
                             "-pthread", "-Wl,-E"});
  } else {
    // Debian 5.3's and 5.4's Config.mkexe.
    argv.insert(argv.end(), {"-Wl,-E", "-Wl,-z,relro", "-Wl,-z,now"});
  }
  argv.push_back("-o");
  argv.push_back(out_tmp);
  for (const std::string& d : plan->library_dirs) argv.push_back("-L" + d);
  // ccomp.ml call_linker: the user's -ccopt options, then the libraries'.
  argv.insert(argv.end(), request.ccopts.begin(), request.ccopts.end());
  argv.insert(argv.end(), plan->ccopts.begin(), plan->ccopts.end());
  argv.push_back(startup_o);
  argv.insert(argv.end(), plan->linker_inputs.begin(),
              plan->linker_inputs.end());
  if (!plan->runtime_lib.empty()) {
    argv.push_back(plan->runtime_lib);
    // Config.native_c_libraries: "-lm" (4.13), "-lm -lpthread" (5.x).
    argv.push_back("-lm");
    if (!ocaml4) argv.push_back("-lpthread");
  }
  absl::Status s = RunTool(argv, request.verbose, log);
  if (s.ok() && rename(out_tmp.c_str(), request.output.c_str()) != 0) {
    s = absl::InternalError(fmt::format("cannot write {}: {}", request.output,
                                        std::strerror(errno)));
  }
  if (!s.ok()) unlink(out_tmp.c_str());
  return s;
}

}  // namespace camlsym
