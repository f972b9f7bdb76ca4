#include "camlsym/linking_state/globals_map.h"

#include <optional>
#include <string_view>

#include "camlsym/formats/marshal_value.h"
#include "camlsym/formats/marshal_writer.h"
#include "camlsym/linking_state/ocaml_hashtbl.h"
#include "camlsym/linking_state/string_objects.h"
#include "fmt/format.h"

namespace camlsym {
namespace {

using formats::Digest;
using formats::MarshalGraph;
using formats::Value;

std::string_view DigestBytes(const Digest& d) {
  return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
}

Value CrcOption(MarshalGraph& g, const std::optional<Digest>& crc) {
  if (!crc.has_value()) return g.AddOption(std::nullopt);
  return g.AddOption(g.AddString(DigestBytes(*crc)));
}

}  // namespace

absl::StatusOr<std::string> MarshalGlobalsMap(const LinkPlan& plan) {
  // String.Tbl.of_seq (List.to_seq crc_interfaces).
  OcamlStringHashtbl<std::optional<Digest>> intf;
  for (const InterfaceCrc& c : plan.crc_interfaces) intf.Replace(c.name, c.crc);

  struct Entry {
    std::string_view name;
    std::optional<Digest> intf_crc;
    const PlannedUnit* unit;  // null for interface-only entries
  };
  std::vector<Entry> defined;
  for (const PlannedUnit& u : plan.units) {
    const std::optional<Digest>* crc = intf.Find(u.info.name);
    if (crc == nullptr) {
      return absl::FailedPreconditionError(fmt::format(
          "{}: unit {} does not import its own interface, so it has no entry "
          "in the globals map",
          u.file, u.info.name));
    }
    defined.push_back(Entry{u.info.name, *crc, &u});
    intf.Remove(u.info.name);
  }
  // String.Tbl.fold prepends each binding onto `defined`.
  std::vector<Entry> entries;
  std::vector<const OcamlStringHashtbl<std::optional<Digest>>::Binding*> order =
      intf.FoldOrder();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    entries.push_back(Entry{(*it)->key, (*it)->value, nullptr});
  }
  entries.insert(entries.end(), defined.begin(), defined.end());

  MarshalGraph g;
  StringObjects strings(g);
  std::vector<Value> tuples;
  tuples.reserve(entries.size());
  for (const Entry& e : entries) {
    // A linked unit's name and defines are its .cmx's own string objects
    // (there, the name is the head of the defines).
    const PlannedUnit* u = e.unit;
    const formats::UnitInfosNodes* n =
        u != nullptr && NameNodesMatch(*u) ? &u->nodes : nullptr;
    Value name =
        u != nullptr
            ? strings.String(u->file, n ? std::optional(n->name) : std::nullopt,
                             e.name)
            : g.AddString(e.name);
    Value intf_crc = CrcOption(g, e.intf_crc);
    Value impl_crc =
        u != nullptr ? CrcOption(g, u->crc) : g.AddOption(std::nullopt);
    std::vector<Value> defines;
    if (u != nullptr) {
      for (size_t i = 0; i < u->info.defines.size(); ++i) {
        defines.push_back(strings.String(
            u->file, n ? std::optional(n->defines[i]) : std::nullopt,
            u->info.defines[i]));
      }
    }
    Value defs = g.AddList(defines);
    tuples.push_back(g.AddBlock(0, {name, intf_crc, impl_crc, defs}));
  }
  return formats::WriteMarshal(g, g.AddList(tuples));
}

}  // namespace camlsym
