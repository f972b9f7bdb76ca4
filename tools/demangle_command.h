// The `camlsym demangle` verb: c++filt for OCaml symbols.
//
//   camlsym demangle [--json] [SYMBOL...]
//
// With symbols, prints one line per symbol: the plain rendering
// (`Stdlib.List.map`) of an OCaml symbol, anything else unchanged. Without
// symbols, filters standard input: every maximal run of `[A-Za-z0-9_$.]`
// bytes that is an OCaml symbol is replaced by its plain rendering, and every
// other byte is copied through unchanged (a run that is not a symbol but
// becomes one without its trailing `.`s, as at the end of a sentence, keeps
// the dots after the rendering). With `--json`, prints instead one JSON object
// per OCaml symbol given or found in the input, and nothing for other text:
//
//   {"symbol": "camlStdlib__List__map_123", "scheme": "ocaml-4.13",
//    "unit": "Stdlib__List", "name": "map", "stamp": 123,
//    "category": "function_or_value"}
//
// (one line). `unit` is the unit's symbol name as spelled, `name` the decoded
// local name without stamp (empty for module blocks and constants), `stamp`
// an integer or null. Strings are JSON-escaped byte by byte: valid UTF-8 is
// kept, control characters and bytes that are not valid UTF-8 are written as
// `\u00XX` (a byte read as Latin-1, the character set of OCaml 4 identifiers).
//
// Mirrors: binutils c++filt; Linux tools/perf/util/demangle-ocaml.c (the
// rendering perf gets wrong, see symbols/demangle.h).
#ifndef CAMLSYM_TOOLS_DEMANGLE_COMMAND_H_
#define CAMLSYM_TOOLS_DEMANGLE_COMMAND_H_

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace camlsym {

/// Runs `camlsym demangle` with \p args (the arguments after the verb),
/// reading \p in when no symbol is given and writing results to \p out and
/// diagnostics to \p err. Returns the exit status: 0 on success, 1 if
/// reading or writing failed, 2 for an unknown option (after printing a
/// message and the usage to \p err). The streams stay open.
int RunDemangle(const std::vector<std::string>& args, std::FILE* in,
                std::FILE* out, std::FILE* err);

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_DEMANGLE_COMMAND_H_
