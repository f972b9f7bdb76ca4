#include "camlsym/linking_state/string_objects.h"

namespace camlsym {

bool NodesMatch(const PlannedUnit& u) {
  const formats::UnitInfosNodes& n = u.nodes;
  if (n.defines.size() != u.info.defines.size() ||
      n.imports_cmi.size() != u.info.imports_cmi.size() ||
      n.imports_cmx.size() != u.info.imports_cmx.size()) {
    return false;
  }
  auto crcs_match = [](const formats::Crcs& is,
                       const std::vector<formats::ImportNodes>& ns) {
    for (size_t i = 0; i < is.size(); ++i) {
      if ((is.crc(i) != nullptr) != ns[i].crc.has_value()) return false;
    }
    return true;
  };
  return crcs_match(u.info.imports_cmi, n.imports_cmi) &&
         crcs_match(u.info.imports_cmx, n.imports_cmx);
}

bool NameNodesMatch(const PlannedUnit& u) {
  return u.nodes.defines.size() == u.info.defines.size();
}

}  // namespace camlsym
