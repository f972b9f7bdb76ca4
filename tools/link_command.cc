#include "camlsym/tools/link_command.h"

#include <string_view>

#include "camlsym/tools/link_driver.h"
#include "fmt/format.h"

namespace camlsym {
namespace {

constexpr std::string_view kStartupUsage =
    "usage: camlsym startup [--shared] [--target=T] [--ocaml-stdlib=DIR] "
    "[-I DIR] [--linkall] -o startup.s|startup.o INPUT...\n"
    "  -o startup.o: the startup object, assembled by camlsym itself "
    "(x86-64 and AArch64 ELF)\n";
constexpr std::string_view kLinkUsage =
    "usage: camlsym link [--shared] [--target=T] [--ocaml-stdlib=DIR] "
    "[-I DIR] [--linkall] [--keep-startup=FILE] [--verbose] [--as=AS] "
    "[--cc=CC] [--no-integrated-as] [-ccopt FLAG]... -o OUT INPUT...\n"
    "  --shared: link a Dynlink plugin (OUT.cmxs), as ocamlopt -shared\n"
    "  T: x86_64-linux (default), aarch64-linux\n"
    "  -ccopt FLAG: pass FLAG to the C compiler when linking (repeatable)\n"
    "  --no-integrated-as: assemble the startup with the target's assembler\n"
    "    (the default on ELF targets is camlsym's own; --as=AS implies it)\n";

enum class Verb { kStartup, kLink };

bool StartsWith(std::string_view s, std::string_view p) {
  return s.substr(0, p.size()) == p;
}

// Parses the options shared by both verbs into \p req. Returns "" or an
// error message.
std::string Parse(const std::vector<std::string>& args, Verb verb,
                  LinkRequest& req) {
  std::string target = "";
  std::string stdlib;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string_view flag) -> std::optional<std::string> {
      if (a == flag) {
        if (i + 1 < args.size()) return args[++i];
        return std::nullopt;
      }
      return a.substr(flag.size() + 1);
    };
    if (a == "-o" || a == "-I") {
      if (i + 1 >= args.size()) return fmt::format("{} needs an argument", a);
      (a == "-o" ? req.output : req.options.include_dirs.emplace_back()) =
          args[++i];
    } else if (StartsWith(a, "--target=") || a == "--target") {
      std::optional<std::string> v = value("--target");
      if (!v) return "--target needs a value";
      target = *v;
    } else if (StartsWith(a, "--ocaml-stdlib=") || a == "--ocaml-stdlib") {
      std::optional<std::string> v = value("--ocaml-stdlib");
      if (!v) return "--ocaml-stdlib needs a value";
      stdlib = *v;
    } else if (a == "--shared" || a == "-shared") {
      req.options.mode = LinkMode::kPlugin;
    } else if (a == "--linkall" || a == "-linkall") {
      req.options.link_all = LinkAll::kYes;
    } else if (verb == Verb::kLink && StartsWith(a, "--keep-startup=")) {
      req.keep_startup = a.substr(std::string_view("--keep-startup=").size());
    } else if (verb == Verb::kLink && (a == "--verbose" || a == "-verbose")) {
      req.verbose = true;
    } else if (verb == Verb::kLink && a == "--no-integrated-as") {
      req.integrated_assembler = false;
    } else if (verb == Verb::kLink && a == "-ccopt") {
      if (i + 1 >= args.size()) return "-ccopt needs an argument";
      req.ccopts.push_back(args[++i]);
    } else if (verb == Verb::kLink && StartsWith(a, "--as=")) {
      req.assembler = a.substr(5);
    } else if (verb == Verb::kLink && StartsWith(a, "--cc=")) {
      req.c_compiler = a.substr(5);
    } else if (!a.empty() && a[0] == '-') {
      return fmt::format("unknown option '{}'", a);
    } else {
      req.inputs.push_back(a);
    }
  }
  if (req.output.empty()) return "no output file (-o) given";
  if (req.inputs.empty()) return "no input file given";
  if (!target.empty()) {
    absl::StatusOr<TargetSystem> t = TargetSystem::Parse(target);
    if (!t.ok()) return std::string(t.status().message());
    req.target = *t;
  }
  if (stdlib.empty()) {
    absl::StatusOr<std::string> d = DefaultStdlibDir(req.target);
    if (!d.ok()) return std::string(d.status().message());
    stdlib = *d;
  }
  req.options.stdlib_dir = stdlib;
  return "";
}

int Run(const std::vector<std::string>& args, Verb verb, std::FILE* err) {
  std::string_view name = verb == Verb::kLink ? "link" : "startup";
  std::string_view usage = verb == Verb::kLink ? kLinkUsage : kStartupUsage;
  for (const std::string& a : args) {
    if (a == "--help" || a == "-h") {
      fmt::print(stdout, "{}", usage);
      return 0;
    }
  }
  LinkRequest req;
  if (std::string msg = Parse(args, verb, req); !msg.empty()) {
    fmt::print(err, "camlsym {}: {}\n{}", name, msg, usage);
    return 2;
  }
  absl::Status s = verb == Verb::kLink ? Link(req, err) : WriteStartup(req);
  if (!s.ok()) {
    fmt::print(err, "camlsym {}: {}\n", name, std::string(s.message()));
    return 1;
  }
  return 0;
}

}  // namespace

int RunStartup(const std::vector<std::string>& args, std::FILE*, std::FILE*,
               std::FILE* err) {
  return Run(args, Verb::kStartup, err);
}

int RunLink(const std::vector<std::string>& args, std::FILE*, std::FILE*,
            std::FILE* err) {
  return Run(args, Verb::kLink, err);
}

}  // namespace camlsym
