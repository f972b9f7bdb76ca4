// The `camlsym inspect` verb: what a .cmx, .cmxa or .cmxs file of OCaml 4.13
// or 5.1 to 5.4 records, as that version's `ocamlobjinfo -no-approx` prints
// it (text), or with the symbols camlsym derives (`--json`).
//
//   camlsym inspect [--json] FILE...
//
// Text, per unit: name, implementation CRC, globals defined, imported
// interfaces and implementations with their CRCs, "Clambda unit" (or
// Flambda's header), the generic functions it needs (currying, apply, send;
// a negative currying arity is a tuplify function), force-link and, from
// 5.1, "For pack:"; a .cmxa's C objects and options come first. With
// `--json`, one JSON object per file on one line:
//
//   {"file": "...", "kind": "cmx"|"cmxa", "units": [{"name",
//    "ocaml_version", "for_pack", "symbol", "module_block", "entry", "crc",
//    "defines", "imports_cmi", "imports_cmx", "curry_functions",
//    "apply_functions", "send_functions", "force_link"}], "ccobjs": [...],
//    "ccopts": [...]}
//
// where "ocaml_version" is "4.13", "5.1" ... "5.4", "for_pack" a string or
// null, the entry symbol is mangled as that version does
// (`camlStdlib__List__entry`, `camlStdlib__List.entry`), and ccobjs and
// ccopts are in the order the file stores them (reversed).
//
// where an import is {"name": ..., "crc": "hex"|null}.
//
// For a .cmxs (a Dynlink plugin, ELF), the plugin header read from its
// `caml_plugin_header` symbol: per unit, name, implementation CRC, defined
// units and imported interfaces and implementations, as ocamlobjinfo prints
// them; with `--json`:
//
//   {"file": "...", "kind": "cmxs", "magic": "Caml1999D030",
//    "ocaml_version": "4.13", "units": [{"name", "crc", "defines",
//    "imports_cmi", "imports_cmx"}]}
//
// Mirrors: tools/objinfo.ml (OCaml 4.13.1 and 5.1 to 5.4: `print_cmx_infos`,
// `print_cmxa_infos`, `print_cmxs_infos`), for .cmx, .cmxa and .cmxs.
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
