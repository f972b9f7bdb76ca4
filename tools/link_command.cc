#include "camlsym/tools/link_command.h"

#include <string_view>

#include "camlsym/tools/interrupt_cleanup.h"
#include "camlsym/tools/link_driver.h"
#include "camlsym/tools/ocamlopt_flags.h"
#include "fmt/format.h"

namespace camlsym {
namespace {

// The OCaml release whose .cmx files and link camlsym reproduces.
constexpr std::string_view kOCamlVersion = "4.13.1";

int Run(const std::vector<std::string>& args, LinkVerb verb, std::FILE* out,
        std::FILE* err) {
  const std::string_view name = verb == LinkVerb::kLink ? "link" : "startup";
  absl::StatusOr<ParsedLinkFlags> flags = ParseLinkFlags(args, verb);
  if (!flags.ok()) {
    fmt::print(err, "camlsym {}: {}\n{}", name,
               std::string(flags.status().message()), LinkFlagsHelp(verb));
    return 2;
  }
  if (flags->help) {
    fmt::print(out, "{}", LinkFlagsHelp(verb));
    return 0;
  }
  if (flags->version) {
    // As `ocamlopt -v`: the version, then the standard library directory.
    fmt::print(out,
               "camlsym {}: the startup and link of OCaml {} native code\n"
               "Standard library directory: {}\n",
               name, kOCamlVersion, flags->request.options.stdlib_dir);
    return 0;
  }
  InstallInterruptCleanup();
  absl::Status s = verb == LinkVerb::kLink ? Link(flags->request, err)
                                           : WriteStartup(flags->request);
  if (!s.ok()) {
    fmt::print(err, "camlsym {}: {}\n", name, std::string(s.message()));
    return 1;
  }
  return 0;
}

}  // namespace

int RunStartup(const std::vector<std::string>& args, std::FILE*, std::FILE* out,
               std::FILE* err) {
  return Run(args, LinkVerb::kStartup, out, err);
}

int RunLink(const std::vector<std::string>& args, std::FILE*, std::FILE* out,
            std::FILE* err) {
  return Run(args, LinkVerb::kLink, out, err);
}

}  // namespace camlsym
