// The `camlsym startup` and `camlsym link` verbs.
//
//   camlsym startup [FLAG...] -o startup.s|startup.o|- INPUT...
//   camlsym link [FLAG...] [-o OUT] INPUT...
//
// The flags (tools/ocamlopt_flags.h) are ocamlopt's link flags and
// camlsym's own; `--help` lists them all.
// INPUT is a .cmx, .cmxa, .o, .a or .so. `startup` writes the startup
// assembly ocamlopt would generate for the same link; `link` also assembles
// it and links OUT with the target's C compiler in ocamlopt's order.
// `--shared` makes a Dynlink plugin instead of an executable, as `ocamlopt
// -shared`: the inputs alone (no stdlib.cmxa, std_exit.cmx or runtime), the
// shared startup file (`_shared_startup`: the units' generic functions,
// caml_plugin_header, caml_globals), linked with `gcc -shared`.
// --target defaults to the host (x86_64-linux); --ocaml-stdlib to
// `ocamlopt -where` on the host and to the arm64 tree that
// scripts/install-deps.sh unpacks for aarch64-linux.
//
// Mirrors: driver/optmain.ml and asmcomp/asmlink.ml (OCaml 4.13.1).
#ifndef CAMLSYM_TOOLS_LINK_COMMAND_H_
#define CAMLSYM_TOOLS_LINK_COMMAND_H_

#include <cstdio>
#include <string>
#include <vector>

namespace camlsym {

/// `camlsym startup`. Returns 0 on success, 1 on an error (printed to
/// \p err, naming the file), 2 on a usage error. No output file is left on
/// error.
int RunStartup(const std::vector<std::string>& args, std::FILE* in,
               std::FILE* out, std::FILE* err);

/// `camlsym link`. Same conventions as RunStartup; a failing assembler or
/// linker has printed its own message, and camlsym adds which tool failed.
int RunLink(const std::vector<std::string>& args, std::FILE* in, std::FILE* out,
            std::FILE* err);

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_LINK_COMMAND_H_
