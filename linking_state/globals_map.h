// The globals map of an executable: the Marshal'd list that the startup
// file stores as the OCaml string `caml_globals_map`, which Dynlink reads
// to learn which units and interfaces the program has and with which CRCs.
//
// It lists, for each linked unit in link order,
//   (name, Some interface CRC or None, Some implementation CRC, defines)
// preceded by every imported interface that no linked unit implements, as
//   (name, CRC option, None, [])
// in the fold order of the `String.Tbl` (OCaml's Hashtbl) that asmlink.ml
// builds from the interface CRCs. Byte identity with ocamlopt's needs that
// order and Marshal's sharing: strings that were one OCaml object in a .cmx
// (a unit's name and the head of its `ui_defines`) are one object here too
// (string_objects.h).
//
// Mirrors: asmcomp/asmlink.ml `make_globals_map` and
// asmcomp/cmm_helpers.ml `globals_map` (OCaml 4.13.1).
#ifndef CAMLSYM_LINKING_STATE_GLOBALS_MAP_H_
#define CAMLSYM_LINKING_STATE_GLOBALS_MAP_H_

#include <string>

#include "absl/status/statusor.h"
#include "camlsym/linking_state/link_plan.h"

namespace camlsym {

/// The bytes of `Marshal.to_string globals_map []` for \p plan (header
/// included): the contents of the `caml_globals_map` string.
/// kFailedPrecondition if a linked unit does not import its own interface
/// (asmlink.ml would fail with Not_found), naming the unit and its file.
absl::StatusOr<std::string> MarshalGlobalsMap(const LinkPlan& plan);

}  // namespace camlsym

#endif  // CAMLSYM_LINKING_STATE_GLOBALS_MAP_H_
