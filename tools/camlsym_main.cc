// The camlsym driver: `camlsym <verb> [args...]`. Each verb is one row of
// kVerbs; add a row (and a dependency in tools/BUILD) to add a verb.
#include <malloc.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "camlsym/tools/demangle_command.h"
#include "camlsym/tools/inspect_command.h"
#include "camlsym/tools/link_command.h"
#include "fmt/format.h"

namespace camlsym {
namespace {

/// A verb's entry point: \p args are the arguments after the verb. Returns
/// the process exit status.
using VerbFn = int (*)(const std::vector<std::string>& args, std::FILE* in,
                       std::FILE* out, std::FILE* err);

struct Verb {
  std::string_view name;
  std::string_view summary;
  VerbFn run;
};

constexpr Verb kVerbs[] = {
    {"demangle", "demangle OCaml symbols (arguments or stdin, c++filt-style)",
     &RunDemangle},
    {"inspect", "print what a .cmx / .cmxa records (--json for tools)",
     &RunInspect},
    {"startup", "write the startup assembly of a link (-o startup.s)",
     &RunStartup},
    {"link", "link an executable with camlsym's own startup file", &RunLink},
};

void PrintUsage(std::FILE* f) {
  fmt::print(f, "usage: camlsym <verb> [args...]\n\nverbs:\n");
  for (const Verb& v : kVerbs) {
    fmt::print(f, "  {:<10} {}\n", v.name, v.summary);
  }
}

}  // namespace
}  // namespace camlsym

int main(int argc, char** argv) {
  using camlsym::kVerbs;
  // camlsym is short-lived and builds a few large buffers (the startup
  // assembly of a big link is megabytes): keep freed memory in the process
  // instead of returning it to the kernel and faulting it in again.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  mallopt(M_TOP_PAD, 16 << 20);
  if (argc < 2) {
    camlsym::PrintUsage(stderr);
    return 2;
  }
  std::string_view verb = argv[1];
  if (verb == "help" || verb == "--help" || verb == "-h") {
    camlsym::PrintUsage(stdout);
    return 0;
  }
  for (const camlsym::Verb& v : kVerbs) {
    if (v.name == verb) {
      std::vector<std::string> args(argv + 2, argv + argc);
      return v.run(args, stdin, stdout, stderr);
    }
  }
  fmt::print(stderr, "camlsym: unknown verb '{}'\n", verb);
  camlsym::PrintUsage(stderr);
  return 2;
}
