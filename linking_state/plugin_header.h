// The header of a Dynlink plugin (.cmxs): the Marshal'd
// `Cmxs_format.dynheader` that a plugin's shared startup file stores as the
// OCaml string `caml_plugin_header`, and that Dynlink reads (with
// `ndl_open`) to learn which units the plugin defines and which interfaces
// and implementations they were compiled against.
//
//   type dynunit = { dynu_name: modname; dynu_crc: Digest.t;
//                    dynu_imports_cmi: crcs; dynu_imports_cmx: crcs;
//                    dynu_defines: string list }
//   type dynheader = { dynu_magic: string; dynu_units: dynunit list }
//
// with `dynu_magic` = Config.cmxs_magic_number ("Caml1999D030" in 4.13,
// "Caml1999D033" to "D036" in 5.1 to 5.4, whose dynheader and dynunit keep
// these fields) and one dynunit per linked unit, in link order. Byte identity
// with ocamlopt needs Marshal's sharing: ocamlopt marshals the strings it read
// from each .cmx (or .cmxa) as they are in memory, so strings that were one
// object in the file (typically `ui_name`, the head of `ui_defines` and the
// unit's own entry in `ui_imports_cmi`) are one object in the header. camlsym
// knows these identities from formats::UnitInfosNodes.
//
// Mirrors: file_formats/cmxs_format.mli, asmcomp/cmm_helpers.ml
// (`plugin_header`), asmcomp/asmlink.ml (`make_shared_startup_file`,
// `link_shared`), otherlibs/dynlink/native/dynlink.ml (`read_file`)
// (OCaml 4.13.1; the same files of 5.1 to 5.4).
#ifndef CAMLSYM_LINKING_STATE_PLUGIN_HEADER_H_
#define CAMLSYM_LINKING_STATE_PLUGIN_HEADER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "camlsym/formats/cmx.h"
#include "camlsym/formats/ocaml_version.h"
#include "camlsym/linking_state/link_plan.h"

namespace camlsym {

/// `Config.cmxs_magic_number` of \p version ("Caml1999D030" for 4.13): the
/// first field of every plugin header.
std::string CmxsMagic(formats::OcamlVersion version);

/// The bytes of `Marshal.to_string dynheader []` for a plugin of OCaml
/// \p version made of \p units, in link order (header included): the
/// contents of the
/// `caml_plugin_header` string. Strings that share a formats::StringNode
/// within one file (PlannedUnit::file) are written as one object; each
/// `dynu_crc` is a fresh string, as asmlink.ml reads it. A unit whose
/// PlannedUnit::nodes do not match its infos (e.g. built by hand) gets fresh
/// strings everywhere. kInternal only if the Marshal writer fails (a bug).
absl::StatusOr<std::string> MarshalPluginHeader(
    const std::vector<PlannedUnit>& units, formats::OcamlVersion version);

/// One unit of a plugin header (`Cmxs_format.dynunit`).
struct DynUnit {
  std::string name;                  ///< dynu_name.
  formats::Digest crc{};             ///< dynu_crc: the .cmx's CRC.
  formats::Crcs imports_cmi;         ///< dynu_imports_cmi.
  formats::Crcs imports_cmx;         ///< dynu_imports_cmx.
  std::vector<std::string> defines;  ///< dynu_defines.
  friend bool operator==(const DynUnit&, const DynUnit&) = default;
};

/// A decoded plugin header (`Cmxs_format.dynheader`).
struct PluginHeader {
  std::string magic;  ///< dynu_magic, e.g. "Caml1999D030".
  formats::OcamlVersion version = formats::OcamlVersion::k413;  ///< Of magic.
  std::vector<DynUnit> units;  ///< dynu_units, in link order.
};

/// Decodes \p bytes, the contents of a `caml_plugin_header` string (Marshal
/// header included; trailing bytes are ignored, as `Marshal.from_string`
/// ignores them). Errors:
/// - kInvalidArgument: malformed Marshal data, or a value that is not a
///   dynheader (the message names the field, e.g. "dynu_units[1].dynu_crc");
///   a magic that is not a plugin's ("Caml1999D...").
/// - kUnimplemented: the header of an OCaml version camlsym does not read
///   (magic "Caml1999D" followed by other than "030", "033" to "036"); the
///   message names the magic and its release.
/// - kResourceExhausted: the names of one import list take more than
///   formats::Crcs::kMaxNameBytes.
absl::StatusOr<PluginHeader> ParsePluginHeader(std::string_view bytes);

}  // namespace camlsym

#endif  // CAMLSYM_LINKING_STATE_PLUGIN_HEADER_H_
