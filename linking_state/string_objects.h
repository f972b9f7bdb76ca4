// OCaml string objects when camlsym re-marshals data read from .cmx files.
//
// ocamlopt builds the globals map and the plugin header from the unit
// infos it read, so a string that was one object in a .cmx (a unit's name
// and the head of its ui_defines, say) is one object again, and Marshal
// writes the second occurrence as a shared reference. To write the same
// bytes, camlsym keys each string by the file it came from and its object
// in that file's Marshal data (formats/cmx.h StringNode).
//
// Mirrors: runtime/extern.c sharing (OCaml 4.13.1), applied to the values
// asmcomp/asmlink.ml and cmm_helpers.ml build from unit_infos.
#ifndef CAMLSYM_LINKING_STATE_STRING_OBJECTS_H_
#define CAMLSYM_LINKING_STATE_STRING_OBJECTS_H_

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "camlsym/formats/cmx.h"
#include "camlsym/formats/marshal_value.h"
#include "camlsym/linking_state/link_plan.h"

namespace camlsym {

/// Adds strings to a MarshalGraph, returning the node added before for the
/// same (file, StringNode): the objects ocamlopt has in memory after reading
/// each file once. Strings without a node are always fresh objects.
class StringObjects {
 public:
  /// \p g must outlive this object.
  explicit StringObjects(formats::MarshalGraph& g) : g_(g) {}

  /// The node of \p bytes read from \p file as \p node.
  formats::Value String(const std::string& file,
                        std::optional<formats::StringNode> node,
                        std::string_view bytes) {
    if (!node.has_value()) return g_.AddString(bytes);
    auto [it, inserted] =
        seen_.try_emplace(std::make_pair(file, *node), formats::Value::Unit());
    if (inserted) it->second = g_.AddString(bytes);
    return it->second;
  }

 private:
  formats::MarshalGraph& g_;
  std::map<std::pair<std::string, formats::StringNode>, formats::Value> seen_;
};

/// Whether \p u's recorded string objects (PlannedUnit::nodes) describe its
/// infos: false for units built by hand or whose infos were edited, or
/// read without their import lists' objects (formats::ImportObjects::
/// kOmitted), whose strings are then written as fresh objects.
bool NodesMatch(const PlannedUnit& u);

/// Whether \p u's recorded objects of its name and defines (PlannedUnit::
/// nodes.name, .defines) describe \p u.info's name and defines: the part
/// of NodesMatch that the globals map needs, which writes no imports. It
/// looks at no import, so it costs nothing in a deep graph (NodesMatch is
/// linear in a unit's imports).
bool NameNodesMatch(const PlannedUnit& u);

}  // namespace camlsym

#endif  // CAMLSYM_LINKING_STATE_STRING_OBJECTS_H_
