// The `camlsym inspect` verb: what a .cmx, .cmxa or .cmxs file records, as
// `ocamlobjinfo` prints it, plus the symbols camlsym derives.
//
//   camlsym inspect [--json] FILE...
//
// For each unit: name, symbol prefix and module block / entry symbols,
// implementation CRC, defined units, imported interfaces and implementations
// with their CRCs, the generic functions it needs (currying, apply, send;
// a negative currying arity is a tuplify function), and force-link. For a
// .cmxa also its C objects and options. With `--json`, one JSON object per
// file on one line:
//
//   {"file": "...", "kind": "cmx"|"cmxa", "units": [{"name", "symbol",
//    "module_block", "entry", "crc", "defines", "imports_cmi",
//    "imports_cmx", "curry_functions", "apply_functions", "send_functions",
//    "force_link"}], "ccobjs": [...], "ccopts": [...]}
//
// where an import is {"name": ..., "crc": "hex"|null}.
//
// For a .cmxs (a Dynlink plugin, ELF), the plugin header read from its
// `caml_plugin_header` symbol: per unit, name, implementation CRC, defined
// units and imported interfaces and implementations, as ocamlobjinfo prints
// them; with `--json`:
//
//   {"file": "...", "kind": "cmxs", "magic": "Caml1999D030", "units":
//    [{"name", "crc", "defines", "imports_cmi", "imports_cmx"}]}
//
// Mirrors: tools/objinfo.ml (OCaml 4.13.1), for .cmx, .cmxa and .cmxs.
#ifndef CAMLSYM_TOOLS_INSPECT_COMMAND_H_
#define CAMLSYM_TOOLS_INSPECT_COMMAND_H_

#include <cstdio>
#include <string>
#include <vector>

namespace camlsym {

/// Runs `camlsym inspect` with \p args (after the verb). Writes results to
/// \p out, errors to \p err. Returns 0 if every file was read, 1 if one
/// could not be (its error, naming the file, is printed and the other files
/// are still inspected), 2 for a usage error.
int RunInspect(const std::vector<std::string>& args, std::FILE* in,
               std::FILE* out, std::FILE* err);

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_INSPECT_COMMAND_H_
