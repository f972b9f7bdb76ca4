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
#include <thread>

#include "absl/container/flat_hash_set.h"
#include "camlsym/emitters/output_streamer.h"
#include "camlsym/formats/ocaml_version.h"
#include "camlsym/linking_state/link_startup.h"
#include "camlsym/tools/elf_machine.h"
#include "camlsym/tools/interrupt_cleanup.h"
#include "camlsym/tools/ocaml_config.h"
#include "camlsym/tools/output_file.h"
#include "camlsym/tools/program_path.h"
#include "fmt/format.h"
#include "fmt/ranges.h"

extern char** environ;

namespace camlsym {
namespace {

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
  // The tool runs in a process group of its own, so that an interruption
  // can stop it with everything it started (gcc's collect2 and ld).
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid;
  int rc = posix_spawnp(&pid, cargv[0], nullptr, &attr, cargv.data(), environ);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) {
    return absl::InternalError(
        fmt::format("cannot run {}: {}", argv[0], std::strerror(rc)));
  }
  // An interruption now stops the tool before the temporaries go.
  SetRunningTool(pid);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      SetRunningTool(0);
      return absl::InternalError(
          fmt::format("waiting for {}: {}", argv[0], std::strerror(errno)));
    }
  }
  SetRunningTool(0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  if (WIFEXITED(status)) {
    return absl::InternalError(fmt::format("{} failed with exit code {}",
                                           argv[0], WEXITSTATUS(status)));
  }
  return absl::InternalError(
      fmt::format("{} was killed by signal {}", argv[0], WTERMSIG(status)));
}

// A private temporary directory in $TMPDIR for the startup files, removed
// with its contents on destruction, and registered with
// interrupt_cleanup.h meanwhile.
class TempDir {
 public:
  static constexpr const char* kFiles[] = {"startup.s", "startup.o",
                                           "inputs.rsp"};

  static absl::StatusOr<TempDir> Create() {
    const char* base = std::getenv("TMPDIR");
    std::string templ = fmt::format(
        "{}/camlsymXXXXXX", base != nullptr && *base != '\0' ? base : "/tmp");
    ScopedInterruptBlock block;
    if (mkdtemp(templ.data()) == nullptr) {
      return absl::InternalError(fmt::format(
          "cannot create a temporary directory: {}", std::strerror(errno)));
    }
    TempDir dir(templ);
    absl::StatusOr<TemporaryRegistration> d =
        TemporaryRegistration::Register(templ, TemporaryKind::kDirectory);
    if (!d.ok()) return d.status();
    dir.registrations_.push_back(*std::move(d));
    for (const char* f : kFiles) {
      absl::StatusOr<TemporaryRegistration> r = TemporaryRegistration::Register(
          fmt::format("{}/{}", templ, f), TemporaryKind::kFile);
      if (!r.ok()) return r.status();
      dir.registrations_.push_back(*std::move(r));
    }
    return dir;
  }
  TempDir(TempDir&& o) noexcept
      : path_(std::move(o.path_)), registrations_(std::move(o.registrations_)) {
    o.path_.clear();
  }
  ~TempDir() {
    if (path_.empty()) return;
    for (const char* f : kFiles) {
      unlink(fmt::format("{}/{}", path_, f).c_str());
    }
    rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  explicit TempDir(std::string p) : path_(std::move(p)) {}
  std::string path_;
  std::vector<TemporaryRegistration> registrations_;
};

std::string ChopSuffix(const std::string& s, std::string_view suffix) {
  return s.substr(0, s.size() - suffix.size());
}

// What each file of \p plan is to the link, for CheckNotAnInput: the units'
// .cmx and .o, the libraries' .cmxa and .a, the other objects and the
// runtime library. Each path once, with its first role in that order (a
// unit's .o is also among the linker's inputs): CheckNotAnInput stats each
// (8000 stats, about 14 ms, for 2000 units without this), except the .cmx
// and .cmxa files, whose identities their reading gave.
std::vector<FileRole> InputRoles(const LinkPlan& plan,
                                 const std::vector<std::string>& inputs) {
  std::vector<FileRole> roles;
  absl::flat_hash_set<std::string> seen;
  auto add = [&](std::string path, auto role,
                 std::optional<formats::FileIdentity> identity = std::nullopt) {
    if (!seen.insert(path).second) return;
    roles.push_back({std::move(path), role(), identity});
  };
  // A unit's .cmx or .cmxa is known by the identity it had when read.
  for (const PlannedUnit& u : plan.units) {
    if (u.file.ends_with(".cmx")) {
      add(
          u.file,
          [&] { return fmt::format("the compiled unit {}", u.info.name); },
          u.file_identity);
      add(ChopSuffix(u.file, ".cmx") + ".o", [&] {
        return fmt::format("the object file of unit {} ({})", u.info.name,
                           u.file);
      });
    } else if (u.file.ends_with(".cmxa")) {
      add(
          u.file, [] { return std::string("an input library"); },
          u.file_identity);
      add(ChopSuffix(u.file, ".cmxa") + ".a",
          [&] { return fmt::format("the archive of library {}", u.file); });
    }
  }
  for (const std::string& in : inputs) {
    if (!in.empty() && in[0] != '-') {
      add(in, [] { return std::string("an input"); });
    }
  }
  for (const std::string& f : plan.linker_inputs) {
    if (f.empty() || f[0] == '-') continue;
    add(f, [&] {
      return std::string(f.ends_with(".a") ? "an archive of the link"
                                           : "an object of the link");
    });
  }
  if (!plan.runtime_lib.empty()) {
    add(plan.runtime_lib, [] { return std::string("the runtime library"); });
  }
  return roles;
}

bool IsDirectory(const std::string& p) {
  struct stat st;
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// A name that every response-file reader and `-Wl,` keep whole.
bool IsPlainName(std::string_view s) {
  return !s.empty() && s.find_first_of(" \t\n\r\v\f'\"\\,") == s.npos;
}

}  // namespace

std::pair<size_t, size_t> ResponseFileRun(const std::vector<std::string>& argv,
                                          size_t begin) {
  std::pair<size_t, size_t> best{begin, begin};
  size_t first = begin;
  for (size_t i = begin; i <= argv.size(); ++i) {
    const bool fits = i < argv.size() && IsPlainName(argv[i]) &&
                      argv[i][0] != '-' &&
                      (argv[i].ends_with(".o") || argv[i].ends_with(".a"));
    if (fits) continue;
    if (i - first > best.second - best.first) best = {first, i};
    first = i + 1;
  }
  return best;
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
    // With neither set, read from the installation beside the ocamlopt on
    // PATH when it describes itself as that (see StdlibDirBesideOcamlopt),
    // which spares a shell and an ocamlopt process (8-30 ms of every
    // link); else asked.
    std::optional<std::string> ocamlopt;
    if (std::getenv("OCAMLLIB") == nullptr &&
        std::getenv("CAMLLIB") == nullptr) {
      ocamlopt = FindOnPath("ocamlopt");
    }
    if (ocamlopt.has_value()) {
      if (std::optional<std::string> dir = StdlibDirBesideOcamlopt(*ocamlopt);
          dir.has_value() && IsDirectory(*dir)) {
        return *dir;
      }
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

absl::Status WriteStartup(const LinkRequest& request) {
  auto t0 = std::chrono::steady_clock::now();
  // The startup file does not depend on the units' object files.
  LinkOptions options = request.options;
  options.check_object_files = CheckObjectFiles::kNo;
  absl::StatusOr<LinkPlan> plan = PlanLink(request.inputs, options);
  if (!plan.ok()) return plan.status();
  const bool to_stdout = request.output == "-";
  auto t1 = std::chrono::steady_clock::now();
  // The output is compared with every file of the link (a stat of each:
  // thousands in a big link) on another thread while the startup is
  // compiled: neither needs the other, and the comparison's verdict comes
  // first, before anything is written.
  absl::Status not_an_input = absl::OkStatus();
  std::thread check;
  if (!to_stdout) {
    check = std::thread([&] {
      not_an_input = CheckNotAnInput({request.output, "the output (-o)"},
                                     InputRoles(*plan, request.inputs));
    });
  }
  const bool object = request.output.ends_with(".o");
  absl::StatusOr<OutputFiles> startup = CompileStartup(
      *plan, request.target, {.assembly = !object, .object = object},
      request.object_output == ObjectOutput::kCompleteObject);
  if (check.joinable()) check.join();
  if (!not_an_input.ok()) return not_an_input;
  if (!startup.ok()) return startup.status();
  auto t2 = std::chrono::steady_clock::now();
  const std::string& contents = object ? startup->object : startup->assembly;
  // The run is complete once the output is renamed into place.
  if (!to_stdout) HoldInterruptsUntilExit();
  absl::Status s = to_stdout ? WriteToStdout(contents)
                             : WriteFileAtomically(request.output, contents,
                                                   OutputKind::kData);
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
  // The linker, for as many files as the link passes it (the startup, the
  // objects and archives, the runtime): one asked for but missing fails
  // before anything is written or run.
  size_t input_files = 1 + (plan->runtime_lib.empty() ? 0 : 1);
  for (const std::string& f : plan->linker_inputs) {
    if (!f.empty() && f[0] != '-') ++input_files;
  }
  absl::StatusOr<LinkerChoice> linker =
      LinkerChoice::Choose(request.linker, request.target, input_files);
  if (!linker.ok()) return linker.status();
  // Nothing is written and no tool runs until the outputs are known not to
  // be inputs and every object is known to be built for the target.
  const std::vector<FileRole> inputs = InputRoles(*plan, request.inputs);
  const FileRole output{request.output, "the output (-o)"};
  if (absl::Status s = CheckNotAnInput(output, inputs); !s.ok()) return s;
  if (request.keep_startup.has_value()) {
    const FileRole kept{*request.keep_startup, "the kept startup"};
    if (absl::Status s = CheckNotAnInput(kept, inputs); !s.ok()) return s;
    if (absl::Status s = CheckDistinctOutputs(output, kept); !s.ok()) return s;
  }
  for (const std::string& f : plan->linker_inputs) {
    if (f.empty() || f[0] == '-') continue;
    if (absl::Status s = CheckElfMachine(f, request.target); !s.ok()) return s;
  }
  if (!plan->runtime_lib.empty()) {
    if (absl::Status s = CheckElfMachine(plan->runtime_lib, request.target);
        !s.ok()) {
      return s;
    }
  }
  // The installation's C toolchain; -cc replaces its MKEXE / MKDLL (as
  // Ccomp.call_linker uses Clflags.c_compiler instead of Config.mkexe).
  absl::StatusOr<CToolchainConfig> toolchain =
      ReadCToolchainConfig(request.options.stdlib_dir);
  if (!toolchain.ok()) return toolchain.status();
  // The integrated assembler, unless an assembler was named or the target
  // has none. The startup is emitted once, in the forms needed.
  const OutputForms forms = FormsForObjectFile(
      request.target, {.integrated_assembler = request.integrated_assembler &&
                                               request.assembler.empty(),
                       .keep_assembly = request.keep_startup.has_value()});
  const bool integrated = forms.object;
  absl::StatusOr<OutputFiles> startup =
      CompileStartup(*plan, request.target, forms,
                     request.object_output == ObjectOutput::kCompleteObject);
  if (!startup.ok()) return startup.status();
  if (request.keep_startup.has_value()) {
    if (absl::Status s = WriteFileAtomically(
            *request.keep_startup, startup->assembly, OutputKind::kData);
        !s.ok()) {
      return s;
    }
  }
  absl::StatusOr<TempDir> tmp = TempDir::Create();
  if (!tmp.ok()) return tmp.status();
  const std::string startup_s = tmp->path() + "/startup.s";
  const std::string startup_o = tmp->path() + "/startup.o";
  if (integrated) {
    if (absl::Status s =
            WriteFileAtomically(startup_o, startup->object, OutputKind::kData);
        !s.ok()) {
      return s;
    }
    if (request.verbose) {
      fmt::print(log, "+ (integrated assembler) {} ({} bytes)\n", startup_o,
                 startup->object.size());
    }
  } else {
    if (absl::Status s = WriteFileAtomically(startup_s, startup->assembly,
                                             OutputKind::kData);
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
  const bool object_output = request.object_output != ObjectOutput::kNone;
  // asmlink.ml `call_linker`: -output-obj with a .so output is a shared
  // object the C compiler links (Ccomp.MainDll, with MKMAINDLL) from
  // everything an executable has but std_exit; any other object output is
  // a partial link (Ccomp.Partial).
  const bool main_dll = object_output && request.output.ends_with(".so");
  const bool partial = object_output && !main_dll;
  absl::StatusOr<PendingOutput> out = PendingOutput::Create(
      request.output, partial ? OutputKind::kData : OutputKind::kExecutable);
  if (!out.ok()) return out.status();
  // utils/ccomp.ml call_linker: CMD -o OUT -L<dirs> <ccopts> <files>
  // <extra>, or for a partial link PACKLD OUT -L<dirs> <files>; asmlink.ml
  // `call_linker` decides the files and the extra C libraries.
  std::vector<std::string> argv;
  if (partial) {
    argv = toolchain->pack_linker;  // Ends with -o.
  } else {
    argv = !request.c_compiler.empty()       ? request.c_compiler
           : main_dll                        ? toolchain->mkmaindll
           : plan->mode == LinkMode::kPlugin ? toolchain->mkdll
                                             : toolchain->mkexe;
    if (request.verbose) {
      fmt::print(log, "+ (linker) {}\n", linker->Describe());
    }
    argv.push_back("-o");
  }
  argv.push_back(out->temp_path());
  if (!partial) {
    // The linker's selection, before the user's options (an explicit
    // -fuse-ld= among those wins).
    argv.insert(argv.end(), linker->driver_flags().begin(),
                linker->driver_flags().end());
  }
  for (const std::string& d : plan->library_dirs) argv.push_back("-L" + d);
  if (!partial) {
    // The user's options first, then the libraries' (asmlink.ml `link`).
    argv.insert(argv.end(), request.ccopts.begin(), request.ccopts.end());
    argv.insert(argv.end(), plan->ccopts.begin(), plan->ccopts.end());
  }
  const size_t files_begin = argv.size();
  argv.push_back(startup_o);
  for (size_t i = 0; i < plan->linker_inputs.size(); ++i) {
    const std::string& f = plan->linker_inputs[i];
    // -output-obj links the OCaml objects only (unless into a .so); a
    // partial link drops -Wl, options (Ccomp.remove_Wl).
    if (request.object_output == ObjectOutput::kObject && !main_dll &&
        i >= plan->unit_objects) {
      break;
    }
    if (partial && f.starts_with("-Wl,")) continue;
    argv.push_back(f);
  }
  if (!plan->runtime_lib.empty() &&
      (request.object_output != ObjectOutput::kObject || main_dll)) {
    argv.push_back(plan->runtime_lib);
    // -output-complete-obj has no C libraries (asmlink.ml: c_lib is ""
    // when main_obj_runtime and not main_dll).
    if (!partial) {
      argv.insert(argv.end(), toolchain->native_c_libraries.begin(),
                  toolchain->native_c_libraries.end());
    }
  }
  if (!partial) {
    // Many files: in a response file (see kResponseFileMinimum).
    const auto [first, last] = ResponseFileRun(argv, files_begin);
    const std::string rsp = tmp->path() + "/inputs.rsp";
    if (last - first >= kResponseFileMinimum && IsPlainName(rsp)) {
      std::string contents;
      for (size_t i = first; i < last; ++i) {
        contents += argv[i];
        contents += '\n';
      }
      if (absl::Status s =
              WriteFileAtomically(rsp, contents, OutputKind::kData);
          !s.ok()) {
        return s;
      }
      if (request.verbose) {
        fmt::print(log, "+ (response file) {}: {}\n", rsp,
                   fmt::join(argv.begin() + first, argv.begin() + last, " "));
      }
      argv.erase(argv.begin() + first + 1, argv.begin() + last);
      argv[first] = "-Wl,@" + rsp;
    }
  }
  if (absl::Status s = RunTool(argv, request.verbose, log); !s.ok()) return s;
  // The link is complete once the output is renamed into place.
  HoldInterruptsUntilExit();
  return out->Commit();
}

}  // namespace camlsym
