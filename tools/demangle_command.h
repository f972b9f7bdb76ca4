// The `camlsym demangle` verb: c++filt for OCaml symbols.
//
//   camlsym demangle [--json] [--keep-stamps] [--units PATH]... [SYMBOL...]
//
// With symbols, prints one line per symbol: the plain rendering
// (`Stdlib.List.map`, symbols/demangle.h RenderPlain) of an OCaml symbol,
// anything else unchanged. Without symbols, filters standard input: every
// maximal run of `[A-Za-z0-9_$.]` bytes that is an OCaml symbol is replaced
// by its plain rendering, and every other byte is copied through unchanged
// (a run that is not a symbol but becomes one without its trailing `.`s, as
// at the end of a sentence, keeps the dots after the rendering).
//
// Options: `--keep-stamps` renders with StampRendering::kKeep; `--units
// PATH` (repeatable) loads a KnownUnits (tools/demangle_units.h) and keeps
// the readings it confirms (KeepKnownReadings); `--json` prints one JSON
// object per OCaml symbol given or found instead, with every reading and,
// in filter mode, the symbol's line number and byte offset: the fields are
// a stable interface, documented in README.md (section `camlsym demangle`).
//
// Standard input that is a regular file is mapped (mmap(2)) and rewritten
// in place, up to its last newline; the rest, and any other input (a pipe,
// a terminal), is read in 256 KiB blocks with read(2), as soon as bytes
// arrive, so that a pipe streams. Output goes to the descriptor with
// write(2) in blocks of about 256 KiB, and after each line only when
// standard output is a terminal. Plain output without --units rewrites
// whole blocks of lines in one pass (symbols/demangle_text.h); --json and
// --units go line by line. Nothing is allocated per line once the buffers
// have grown to the longest line.
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
/// reading or writing failed or a `--units` file could not be read (the
/// message names the file), 2 for an unknown option or `--units` without
/// PATH (after printing a message and the usage to \p err). The streams
/// stay open.
int RunDemangle(const std::vector<std::string>& args, std::FILE* in,
                std::FILE* out, std::FILE* err);

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_DEMANGLE_COMMAND_H_
