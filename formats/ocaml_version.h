// The OCaml releases whose native-code files camlsym reads, identified by the
// three version digits of their magic numbers ("Caml1999Y030": .cmx of 4.13).
// One release has one digit string for all three native kinds (.cmx `Y`,
// .cmxa `Z`, .cmxs plugin header `D`).
//
// | release | digits | unit_infos fields                     |
// | 4.13    | 030    | 10 (ui_name ... ui_force_link)        |
// | 5.1     | 033    | 11 (+ ui_for_pack : string option)    |
// | 5.2     | 034    | 11                                    |
// | 5.3     | 035    | 11                                    |
// | 5.4     | 036    | 11                                    |
//
// Mirrors: utils/config.common.ml (`cmx_magic_number`, `cmxa_magic_number`,
// `cmxs_magic_number`) and file_formats/cmx_format.mli (`unit_infos`) of
// OCaml 4.13.1, 5.1.0, 5.2.0, 5.3.0 and 5.4.
#ifndef CAMLSYM_FORMATS_OCAML_VERSION_H_
#define CAMLSYM_FORMATS_OCAML_VERSION_H_

#include <optional>
#include <string>
#include <string_view>

namespace camlsym::formats {

/// An OCaml release whose .cmx/.cmxa/.cmxs camlsym reads. The order is the
/// release order.
enum class OcamlVersion {
  k413,  ///< 4.13: magic digits "030".
  k51,   ///< 5.1: "033", first with ui_for_pack and the `.` separator.
  k52,   ///< 5.2: "034", unrounded frames.
  k53,   ///< 5.3: "035", utils/linkdeps.ml link checks.
  k54,   ///< 5.4: "036".
};

/// Every OcamlVersion, oldest first.
inline constexpr OcamlVersion kOcamlVersions[] = {
    OcamlVersion::k413, OcamlVersion::k51, OcamlVersion::k52, OcamlVersion::k53,
    OcamlVersion::k54};

/// The three digits after the kind letter of \p v's magic numbers ("030").
std::string_view MagicDigits(OcamlVersion v);

/// The release's name as OCaml users write it: "4.13", "5.1", ... "5.4".
std::string_view VersionName(OcamlVersion v);

/// The version whose magic digits are \p digits, or nullopt when camlsym
/// does not read that version's files.
std::optional<OcamlVersion> VersionOfMagicDigits(std::string_view digits);

/// "OCaml 4.14", "an OCaml older than 4.06", ... for any magic digit string
/// \p digits, read or not: used in errors about files of other versions.
std::string ReleaseOfMagicDigits(std::string_view digits);

/// True if \p v's `unit_infos` has the 11th field `ui_for_pack` (5.1 on).
constexpr bool HasForPackField(OcamlVersion v) {
  return v != OcamlVersion::k413;
}

/// True if \p v's compiler messages put names and file names in double
/// quotes (`Misc.Style.inline_code` without colors: 5.2 and 5.3, e.g.
/// `Files "b.cmx" and "a.cmx" make inconsistent assumptions over
/// implementation "A"`); 4.13, 5.1 and 5.4.1 print them bare.
constexpr bool QuotesNamesInMessages(OcamlVersion v) {
  return v == OcamlVersion::k52 || v == OcamlVersion::k53;
}

}  // namespace camlsym::formats

#endif  // CAMLSYM_FORMATS_OCAML_VERSION_H_
