// The command-line flags of `camlsym startup` and `camlsym link`: camlsym's
// own (--target, --ocaml-stdlib, --keep-startup, --as, --no-integrated-as)
// and ocamlopt's link flags with ocamlopt's meaning (-o, -I, -I +dir,
// -ccopt, -cclib, -cc, -noautolink, -runtime-variant, -output-obj,
// -output-complete-obj, -dstartup, -S, -linkall, -shared, -verbose, -v).
// One table defines every flag, its argument and its help line, so that
// `--help` lists every flag the parser accepts.
//
// Mirrors: driver/main_args.ml (the flags and their help),
// driver/compenv.ml (`-I +dir`: Misc.expand_directory, the default output
// a.out), driver/optmaindriver.ml (which outputs need -o) (OCaml 4.13.1).
#ifndef CAMLSYM_TOOLS_OCAMLOPT_FLAGS_H_
#define CAMLSYM_TOOLS_OCAMLOPT_FLAGS_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "camlsym/tools/link_driver.h"

namespace camlsym {

/// The verb whose flags are parsed.
enum class LinkVerb {
  kStartup,  ///< `camlsym startup`: only the startup file.
  kLink,     ///< `camlsym link`: the whole link.
};

/// What the command line asks for.
struct ParsedLinkFlags {
  /// Print the help and exit 0 (--help, -help, -h).
  bool help = false;
  /// Print the version and standard library directory and exit 0 (-v,
  /// --version), as `ocamlopt -v`.
  bool version = false;
  /// The request, complete (target, standard library, -I +dir expanded,
  /// default output) unless help or version is set.
  LinkRequest request;
};

/// Parses \p args (after the verb). kInvalidArgument, with a message for the
/// user, for an unknown flag, a flag without its argument, a bad
/// -runtime-variant, a missing -o where ocamlopt requires one (-shared,
/// -output-obj), an -output-obj output not ending in .o, no input, or an
/// unknown --target; the errors of DefaultStdlibDir when no --ocaml-stdlib
/// is given.
absl::StatusOr<ParsedLinkFlags> ParseLinkFlags(
    const std::vector<std::string>& args, LinkVerb verb);

/// The help text of \p verb: a usage line and one line per flag.
std::string LinkFlagsHelp(LinkVerb verb);

/// Expands an `-I` directory as ocamlopt does: `+dir` is \p stdlib_dir/dir,
/// anything else is unchanged (Misc.expand_directory).
std::string ExpandIncludeDir(std::string_view dir, std::string_view stdlib_dir);

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_OCAMLOPT_FLAGS_H_
