// JSON output shared by the driver's verbs.
//
// Mirrors: nothing in OCaml; RFC 8259 for the escapes.
#ifndef CAMLSYM_TOOLS_JSON_H_
#define CAMLSYM_TOOLS_JSON_H_

#include <string>
#include <string_view>

namespace camlsym {

/// Appends \p s to \p out as a JSON string literal, quotes included. Valid
/// UTF-8 is kept; `"` and `\\` are backslash-escaped; `\n`, `\t`, `\r` use
/// their short escapes; other control characters and bytes that are not
/// valid UTF-8 are written as `\u00XX` (the byte read as Latin-1, the
/// character set of OCaml 4 identifiers).
void AppendJsonString(std::string_view s, std::string& out);

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_JSON_H_
