// Reader for the plugin header of an OCaml 4.13 Dynlink plugin (.cmxs): an
// ELF shared object whose global symbol `caml_plugin_header` labels the
// bytes of an OCaml string (black header word with String_tag 252 just
// before the symbol) holding a Marshal'd `Cmxs_format.dynheader`. Dynlink's
// `caml_natdynlink_open` finds the same symbol with dlsym and unmarshals
// from its address. The file is read with libelf, never loaded.
//
// Mirrors: file_formats/cmxs_format.mli, runtime/natdynlink.c
// (`caml_natdynlink_open`), asmcomp/cmm_helpers.ml (`plugin_header`,
// `emit_string_constant`) (OCaml 4.13.1).
#ifndef CAMLSYM_FORMATS_CMXS_H_
#define CAMLSYM_FORMATS_CMXS_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace camlsym::formats {

/// The symbol that labels a plugin's header.
inline constexpr std::string_view kPluginHeaderSymbol = "caml_plugin_header";

/// Largest .cmxs file ReadCmxsPluginHeader accepts: 1 GiB.
inline constexpr uint64_t kMaxCmxsFileSizeBytes = uint64_t{1} << 30;

/// The contents of the OCaml string labelled \p symbol in the ELF file
/// whose bytes are \p bytes (an object, shared object or executable; the
/// file is never loaded). The symbol is looked up in .dynsym, then in
/// .symtab; the string's length comes from its header word and padding.
/// `caml_plugin_header` of a plugin and `caml_globals_map` of an executable
/// (asmlink.ml) are such strings. \p what_for_errors names the expected
/// kind of file ("a .cmxs file"), \p file_name_for_errors starts every
/// error message. Errors as ParseCmxsPluginHeader, for \p symbol.
absl::StatusOr<std::string> ParseElfOcamlString(
    std::string_view bytes, std::string_view symbol,
    std::string_view what_for_errors, std::string_view file_name_for_errors);

/// The contents of the OCaml string labelled `caml_plugin_header` in the
/// ELF file whose bytes are \p bytes (Marshal data, undecoded);
/// \p file_name_for_errors starts every error message ("p.cmxs: ...").
/// The symbol is looked up in .dynsym, then in .symtab; the string's length
/// comes from its header word and padding, as for any OCaml string.
/// Errors:
/// - kInvalidArgument: not an ELF file, or an ELF file libelf cannot read;
///   a truncated file (a section or the string past the end of the file);
///   no defined `caml_plugin_header` symbol (not an OCaml plugin); a symbol
///   that is not at the contents of an OCaml string (no String_tag header,
///   bad padding, in a section without file contents).
absl::StatusOr<std::string> ParseCmxsPluginHeader(
    std::string_view bytes, std::string_view file_name_for_errors);

/// Reads the whole file \p path (at most kMaxCmxsFileSizeBytes) and parses
/// it with ParseCmxsPluginHeader. Errors as ParseCmxsPluginHeader, plus
/// those of ReadFileBounded (kNotFound, kPermissionDenied, kInternal,
/// kResourceExhausted), each naming the file.
absl::StatusOr<std::string> ReadCmxsPluginHeader(std::string_view path);

}  // namespace camlsym::formats

#endif  // CAMLSYM_FORMATS_CMXS_H_
