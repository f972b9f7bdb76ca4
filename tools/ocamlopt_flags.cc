#include "camlsym/tools/ocamlopt_flags.h"

#include <functional>

#include "camlsym/tools/ocaml_config.h"
#include "fmt/format.h"

namespace camlsym {
namespace {

// How a flag takes its argument.
enum class Arg {
  kNone,    // -shared
  kNext,    // -o FILE (also -o=FILE is not accepted, as ocamlopt)
  kEquals,  // --target=T or --target T
};

// The state the handlers fill in.
struct State {
  ParsedLinkFlags parsed;
  std::string target;
  std::string stdlib;
  std::vector<std::string> include_dirs;  // As given: +dir not expanded.
  bool output_given = false;
  bool keep_startup_beside_output = false;  // -dstartup
};

struct Flag {
  std::vector<std::string_view> names;
  Arg arg;
  bool link_only;
  std::string_view metavar;
  std::string_view help;
  std::function<absl::Status(State&, const std::string&)> set;
};

absl::Status Ok() { return absl::OkStatus(); }

const std::vector<Flag>& Flags() {
  static const std::vector<Flag>* flags = new std::vector<Flag>{
      {{"-o"},
       Arg::kNext,
       false,
       "FILE",
       "output file (link: default a.out; startup: .s assembly, .o object, "
       "- standard output)",
       [](State& s, const std::string& v) {
         s.parsed.request.output = v;
         s.output_given = true;
         return Ok();
       }},
      {{"-I"},
       Arg::kNext,
       false,
       "DIR",
       "add DIR to the load path (+DIR: relative to the standard library, "
       "e.g. -I +threads)",
       [](State& s, const std::string& v) {
         s.include_dirs.push_back(v);
         return Ok();
       }},
      {{"--target"},
       Arg::kEquals,
       false,
       "T",
       "target: x86_64-linux (default), aarch64-linux",
       [](State& s, const std::string& v) {
         s.target = v;
         return Ok();
       }},
      {{"--ocaml-stdlib"},
       Arg::kEquals,
       false,
       "DIR",
       "OCaml standard library (default: $OCAMLLIB, ocamlopt -where)",
       [](State& s, const std::string& v) {
         s.stdlib = v;
         return Ok();
       }},
      {{"--shared", "-shared"},
       Arg::kNone,
       false,
       "",
       "a Dynlink plugin (.cmxs), as ocamlopt -shared",
       [](State& s, const std::string&) {
         s.parsed.request.options.mode = LinkMode::kPlugin;
         return Ok();
       }},
      {{"--linkall", "-linkall"},
       Arg::kNone,
       false,
       "",
       "link every unit of the libraries",
       [](State& s, const std::string&) {
         s.parsed.request.options.link_all = LinkAll::kYes;
         return Ok();
       }},
      {{"-noautolink"},
       Arg::kNone,
       false,
       "",
       "ignore the C objects and options recorded in the libraries (.cmxa)",
       [](State& s, const std::string&) {
         s.parsed.request.options.auto_link = AutoLink::kNo;
         return Ok();
       }},
      {{"-output-obj"},
       Arg::kNone,
       false,
       "",
       "a C object file (.o) of the OCaml program, to link into a C program "
       "(-o X.so: a shared object; its runtime is the _pic variant)",
       [](State& s, const std::string&) {
         s.parsed.request.object_output = ObjectOutput::kObject;
         s.parsed.request.options.std_exit = StdExit::kOmitted;
         return Ok();
       }},
      {{"-output-complete-obj"},
       Arg::kNone,
       false,
       "",
       "like -output-obj, with the runtime and C libraries included",
       [](State& s, const std::string&) {
         s.parsed.request.object_output = ObjectOutput::kCompleteObject;
         s.parsed.request.options.std_exit = StdExit::kOmitted;
         return Ok();
       }},
      {{"-runtime-variant"},
       Arg::kNext,
       true,
       "V",
       "link libasmrunV.a: d (debug) or i (instrumented)",
       [](State& s, const std::string& v) {
         if (v != "" && v != "d" && v != "i" && v != "_pic") {
           return absl::InvalidArgumentError(
               fmt::format("-runtime-variant {}: expected d, i or _pic", v));
         }
         s.parsed.request.options.runtime_variant = v;
         return Ok();
       }},
      {{"-ccopt"},
       Arg::kNext,
       true,
       "OPT",
       "pass OPT to the C compiler and linker (repeatable)",
       [](State& s, const std::string& v) {
         for (std::string& w : SplitWords(v)) {
           s.parsed.request.ccopts.push_back(std::move(w));
         }
         return Ok();
       }},
      {{"-cclib"},
       Arg::kNext,
       true,
       "LIB",
       "pass LIB (e.g. -lfoo) to the linker after the OCaml objects",
       [](State& s, const std::string& v) {
         for (std::string& w : SplitWords(v)) {
           s.parsed.request.inputs.push_back(std::move(w));
         }
         return Ok();
       }},
      {{"-cc"},
       Arg::kNext,
       true,
       "CMD",
       "C compiler and linker command, arguments included (e.g. \"gcc "
       "-static\"); replaces ocamlopt -config's mkexe/mkdll",
       [](State& s, const std::string& v) {
         s.parsed.request.c_compiler = SplitWords(v);
         if (s.parsed.request.c_compiler.empty()) {
           return absl::InvalidArgumentError("-cc needs a command");
         }
         return Ok();
       }},
      {{"--cc"},
       Arg::kEquals,
       true,
       "CMD",
       "same as -cc CMD",
       [](State& s, const std::string& v) {
         s.parsed.request.c_compiler = SplitWords(v);
         if (s.parsed.request.c_compiler.empty()) {
           return absl::InvalidArgumentError("--cc needs a command");
         }
         return Ok();
       }},
      {{"--ld"},
       Arg::kEquals,
       true,
       "LD",
       "the linker the C compiler runs: bfd, gold, lld or mold (default: "
       "mold, or from 100 files on lld, if installed, else the C compiler's "
       "own)",
       [](State& s, const std::string& v) -> absl::Status {
         absl::StatusOr<LinkerName> ld = ParseLinkerName(v);
         if (!ld.ok()) return ld.status();
         s.parsed.request.linker = *ld;
         return Ok();
       }},
      {{"--as"},
       Arg::kEquals,
       true,
       "AS",
       "assemble the startup with AS (implies --no-integrated-as)",
       [](State& s, const std::string& v) {
         s.parsed.request.assembler = v;
         return Ok();
       }},
      {{"--no-integrated-as"},
       Arg::kNone,
       true,
       "",
       "assemble the startup with the target's assembler (default on ELF "
       "targets: camlsym's own)",
       [](State& s, const std::string&) {
         s.parsed.request.integrated_assembler = false;
         return Ok();
       }},
      {{"--keep-startup"},
       Arg::kEquals,
       true,
       "FILE",
       "keep the startup assembly in FILE",
       [](State& s, const std::string& v) {
         s.parsed.request.keep_startup = v;
         return Ok();
       }},
      {{"-dstartup"},
       Arg::kNone,
       true,
       "",
       "keep the startup assembly as OUTPUT.startup.s, as ocamlopt -dstartup",
       [](State& s, const std::string&) {
         s.keep_startup_beside_output = true;
         return Ok();
       }},
      {{"-S"},
       Arg::kNone,
       true,
       "",
       "accepted as ocamlopt does at link time (it keeps the assembly of "
       "compiled units; the startup is kept by -dstartup)",
       [](State&, const std::string&) { return Ok(); }},
      {{"--verbose", "-verbose"},
       Arg::kNone,
       true,
       "",
       "print each command before running it",
       [](State& s, const std::string&) {
         s.parsed.request.verbose = true;
         return Ok();
       }},
      {{"-v", "--version"},
       Arg::kNone,
       false,
       "",
       "print the version and the standard library directory, and exit",
       [](State& s, const std::string&) {
         s.parsed.version = true;
         return Ok();
       }},
      {{"--help", "-help", "-h"},
       Arg::kNone,
       false,
       "",
       "print this help and exit",
       [](State& s, const std::string&) {
         s.parsed.help = true;
         return Ok();
       }},
  };
  return *flags;
}

}  // namespace

std::string ExpandIncludeDir(std::string_view dir,
                             std::string_view stdlib_dir) {
  if (!dir.empty() && dir[0] == '+') {
    return fmt::format("{}/{}", stdlib_dir, dir.substr(1));
  }
  return std::string(dir);
}

std::string LinkFlagsHelp(LinkVerb verb) {
  std::string out =
      verb == LinkVerb::kLink
          ? "usage: camlsym link [FLAG...] INPUT...\n"
            "  INPUT: .cmx, .cmxa, .o, .a, .so, linked as ocamlopt links "
            "them\n"
          : "usage: camlsym startup [FLAG...] -o startup.s|startup.o|- "
            "INPUT...\n"
            "  the startup file of a link (.o: assembled by camlsym, "
            "x86-64 and AArch64 ELF)\n";
  out += "flags:\n";
  for (const Flag& f : Flags()) {
    if (f.link_only && verb != LinkVerb::kLink) continue;
    std::string spelling;
    for (std::string_view n : f.names) {
      if (!spelling.empty()) spelling += ", ";
      spelling += n;
      if (f.arg == Arg::kNext) spelling += fmt::format(" {}", f.metavar);
      if (f.arg == Arg::kEquals) spelling += fmt::format("={}", f.metavar);
    }
    out += fmt::format("  {:<26} {}\n", spelling, f.help);
  }
  return out;
}

absl::StatusOr<ParsedLinkFlags> ParseLinkFlags(
    const std::vector<std::string>& args, LinkVerb verb) {
  State s;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.empty() || a[0] != '-' || a == "-") {
      s.parsed.request.inputs.push_back(a);
      continue;
    }
    const Flag* match = nullptr;
    std::string value;
    bool has_value = false;
    for (const Flag& f : Flags()) {
      for (std::string_view n : f.names) {
        if (a == n) {
          match = &f;
        } else if (f.arg == Arg::kEquals && a.size() > n.size() &&
                   a.starts_with(n) && a[n.size()] == '=') {
          match = &f;
          value = a.substr(n.size() + 1);
          has_value = true;
        }
        if (match != nullptr) break;
      }
      if (match != nullptr) break;
    }
    if (match == nullptr || (match->link_only && verb != LinkVerb::kLink)) {
      return absl::InvalidArgumentError(fmt::format("unknown option '{}'", a));
    }
    if (match->arg != Arg::kNone && !has_value) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(fmt::format(
            "{} needs {}", a,
            match->arg == Arg::kEquals ? "a value" : "an argument"));
      }
      value = args[++i];
    }
    if (absl::Status st = match->set(s, value); !st.ok()) return st;
  }
  if (s.parsed.help) return std::move(s.parsed);
  LinkRequest& req = s.parsed.request;
  if (!s.target.empty()) {
    absl::StatusOr<TargetSystem> t = TargetSystem::Parse(s.target);
    if (!t.ok()) return absl::InvalidArgumentError(t.status().message());
    req.target = *t;
  }
  if (s.stdlib.empty()) {
    absl::StatusOr<std::string> d = DefaultStdlibDir(req.target);
    if (!d.ok()) return d.status();
    s.stdlib = *d;
  }
  req.options.stdlib_dir = s.stdlib;
  if (s.parsed.version) return std::move(s.parsed);
  for (const std::string& d : s.include_dirs) {
    req.options.include_dirs.push_back(ExpandIncludeDir(d, s.stdlib));
  }
  if (!s.output_given) {
    // optmaindriver.ml: -shared and -output-obj need -o; an executable
    // defaults to Config.default_executable_name.
    if (verb == LinkVerb::kStartup) {
      return absl::InvalidArgumentError("no output file (-o) given");
    }
    if (req.options.mode == LinkMode::kPlugin ||
        req.object_output != ObjectOutput::kNone) {
      return absl::InvalidArgumentError(
          "Please specify the name of the output file, using option -o");
    }
    req.output = "a.out";
  }
  // A .o is a partial link; a .so a shared object (asmlink.ml
  // `call_linker`: main_dll).
  if (verb == LinkVerb::kLink && req.object_output != ObjectOutput::kNone &&
      !req.output.ends_with(".o") && !req.output.ends_with(".so")) {
    return absl::InvalidArgumentError(fmt::format(
        "-output-obj: the extension of the output file must be .o or .so, "
        "not {}",
        req.output));
  }
  if (verb == LinkVerb::kLink && req.output == "-") {
    return absl::InvalidArgumentError(
        "-o -: only camlsym startup writes to standard output");
  }
  if (s.keep_startup_beside_output) {
    req.keep_startup = req.output + ".startup.s";
  }
  bool any_input = false;
  for (const std::string& in : req.inputs) any_input |= in[0] != '-';
  if (!any_input) return absl::InvalidArgumentError("no input file given");
  return std::move(s.parsed);
}

}  // namespace camlsym
