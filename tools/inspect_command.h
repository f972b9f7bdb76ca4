// The `camlsym inspect` verb: what a .cmx, .cmxa or .cmxs file of OCaml 4.13
// or 5.1 to 5.4 records, as that version's `ocamlobjinfo -no-approx` prints
// it (text), or with the symbols camlsym derives (`--json`).
//
//   camlsym inspect [--json] [--symbols] [--target=TRIPLE] FILE...
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
//    "apply_functions", "send_functions", "force_link", "object_file",
//    "symbols": [{"name", "asm_name"}]}], "ccobjs": [...], "ccopts": [...]}
//
// where "ocaml_version" is "4.13", "5.1" ... "5.4", "for_pack" a string or
// null, the entry symbol is mangled as that version does
// (`camlStdlib__List__entry`, `camlStdlib__List.entry`), and ccobjs and
// ccopts are in the order the file stores them (reversed).
//
// where an import is {"name": ..., "crc": "hex"|null}.
//
// With `--symbols`, after each unit of a .cmx or .cmxa, its object file and
// its symbols (the same as JSON's "object_file" and "symbols"):
//
//   Object file: dir/x'y.o
//   Symbols:
//   	camlX'y	camlX$27y
//   	camlX'y__entry	camlX$27y__entry
//   	...
//
// The object file is the one the link reads (linking_state/linked_unit.h:
// the .o beside a .cmx, the .a beside a .cmxa); the symbols, for each module
// the unit defines (a pack's members too), its module block and markers,
// each by its OCaml backend name and its assembler name on the target
// (`--target`, default the host: escaped with `$xx`, `_`-prefixed on
// macOS). The default text stays ocamlobjinfo's.
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
