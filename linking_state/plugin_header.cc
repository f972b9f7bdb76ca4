#include "camlsym/linking_state/plugin_header.h"

#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "camlsym/formats/marshal_reader.h"
#include "camlsym/formats/marshal_value.h"
#include "camlsym/formats/marshal_writer.h"
#include "camlsym/linking_state/string_objects.h"
#include "fmt/format.h"
#include "fmt/ranges.h"

namespace camlsym {
namespace {

using formats::Digest;
using formats::Import;
using formats::MarshalGraph;
using formats::Value;

std::string_view DigestBytes(const Digest& d) {
  return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
}

// A `crcs` value: (string * Digest.t option) list.
Value AddCrcs(MarshalGraph& g, StringObjects& strings, const std::string& file,
              const formats::Crcs& imports,
              const std::vector<formats::ImportNodes>* nodes) {
  std::vector<Value> pairs;
  pairs.reserve(imports.size());
  for (size_t i = 0; i < imports.size(); ++i) {
    const Import imp = imports[i];
    const Value name = strings.String(
        file, nodes ? std::optional((*nodes)[i].name) : std::nullopt, imp.name);
    std::optional<Value> crc;
    if (imp.crc.has_value()) {
      crc = strings.String(file, nodes ? (*nodes)[i].crc : std::nullopt,
                           DigestBytes(*imp.crc));
    }
    pairs.push_back(g.AddBlock(0, {name, g.AddOption(crc)}));
  }
  return g.AddList(pairs);
}

// Prefixes the error of a field decoder with the field's path.
absl::Status InField(std::string_view field, const absl::Status& status) {
  return absl::Status(
      status.code(),
      fmt::format("{}: {}", field, std::string(status.message())));
}

absl::StatusOr<Digest> DecodeDigest(const MarshalGraph& g, Value v) {
  absl::StatusOr<std::string_view> s = g.GetString(v);
  if (!s.ok()) return s.status();
  if (s->size() != 16) {
    return absl::InvalidArgumentError(fmt::format(
        "expected a 16-byte digest, got a string of {} bytes", s->size()));
  }
  Digest d;
  std::memcpy(d.data(), s->data(), 16);
  return d;
}

absl::StatusOr<formats::Crcs> DecodeCrcs(const MarshalGraph& g, Value v) {
  absl::StatusOr<std::vector<Value>> list = g.GetList(v);
  if (!list.ok()) return list.status();
  formats::Crcs out;
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string where = fmt::format("[{}]", i);
    absl::StatusOr<absl::Span<const Value>> pair = g.GetBlock((*list)[i], 0, 2);
    if (!pair.ok()) return InField(where, pair.status());
    absl::StatusOr<std::string_view> name = g.GetString((*pair)[0]);
    if (!name.ok()) return InField(where + ".name", name.status());
    absl::StatusOr<std::optional<Value>> crc = g.GetOption((*pair)[1]);
    if (!crc.ok()) return InField(where + ".crc", crc.status());
    std::optional<Digest> digest;
    if (crc->has_value()) {
      absl::StatusOr<Digest> d = DecodeDigest(g, **crc);
      if (!d.ok()) return InField(where + ".crc", d.status());
      digest = *d;
    }
    if (!out.Append(*name, digest)) {
      return absl::ResourceExhaustedError(
          fmt::format("the names up to {} take more than {} bytes", where,
                      formats::Crcs::kMaxNameBytes));
    }
  }
  return out;
}

absl::StatusOr<DynUnit> DecodeDynUnit(const MarshalGraph& g, Value v) {
  absl::StatusOr<absl::Span<const Value>> r = g.GetBlock(v, 0, 5);
  if (!r.ok()) return r.status();
  const absl::Span<const Value> f = *r;
  DynUnit u;
  absl::StatusOr<std::string_view> name = g.GetString(f[0]);
  if (!name.ok()) return InField("dynu_name", name.status());
  u.name = std::string(*name);
  absl::StatusOr<Digest> crc = DecodeDigest(g, f[1]);
  if (!crc.ok()) return InField("dynu_crc", crc.status());
  u.crc = *crc;
  absl::StatusOr<formats::Crcs> cmi = DecodeCrcs(g, f[2]);
  if (!cmi.ok()) return InField("dynu_imports_cmi", cmi.status());
  u.imports_cmi = *std::move(cmi);
  absl::StatusOr<formats::Crcs> cmx = DecodeCrcs(g, f[3]);
  if (!cmx.ok()) return InField("dynu_imports_cmx", cmx.status());
  u.imports_cmx = *std::move(cmx);
  absl::StatusOr<std::vector<Value>> defines = g.GetList(f[4]);
  if (!defines.ok()) return InField("dynu_defines", defines.status());
  for (size_t i = 0; i < defines->size(); ++i) {
    absl::StatusOr<std::string_view> d = g.GetString((*defines)[i]);
    if (!d.ok()) return InField(fmt::format("dynu_defines[{}]", i), d.status());
    u.defines.emplace_back(*d);
  }
  return u;
}

}  // namespace

std::string CmxsMagic(formats::OcamlVersion version) {
  return fmt::format("Caml1999D{}", formats::MagicDigits(version));
}

absl::StatusOr<std::string> MarshalPluginHeader(
    const std::vector<PlannedUnit>& units, formats::OcamlVersion version) {
  MarshalGraph g;
  StringObjects strings(g);
  const Value magic = g.AddString(CmxsMagic(version));
  std::vector<Value> dynunits;
  dynunits.reserve(units.size());
  for (const PlannedUnit& u : units) {
    const bool exact = NodesMatch(u);  // string_objects.h
    const formats::UnitInfosNodes* n = exact ? &u.nodes : nullptr;
    const Value name = strings.String(
        u.file, n ? std::optional(n->name) : std::nullopt, u.info.name);
    const Value crc = g.AddString(DigestBytes(u.crc));
    const Value cmi = AddCrcs(g, strings, u.file, u.info.imports_cmi,
                              n ? &n->imports_cmi : nullptr);
    const Value cmx = AddCrcs(g, strings, u.file, u.info.imports_cmx,
                              n ? &n->imports_cmx : nullptr);
    std::vector<Value> defines;
    for (size_t i = 0; i < u.info.defines.size(); ++i) {
      defines.push_back(strings.String(
          u.file, n ? std::optional(n->defines[i]) : std::nullopt,
          u.info.defines[i]));
    }
    dynunits.push_back(
        g.AddBlock(0, {name, crc, cmi, cmx, g.AddList(defines)}));
  }
  const Value header = g.AddBlock(0, {magic, g.AddList(dynunits)});
  absl::StatusOr<std::string> bytes = formats::WriteMarshal(g, header);
  if (!bytes.ok()) {
    return absl::InternalError(
        fmt::format("marshaling the plugin header: {}",
                    std::string(bytes.status().message())));
  }
  return bytes;
}

absl::StatusOr<PluginHeader> ParsePluginHeader(std::string_view bytes) {
  absl::StatusOr<formats::MarshalData> data = formats::ReadMarshal(bytes);
  if (!data.ok()) return data.status();
  const MarshalGraph& g = data->graph;
  absl::StatusOr<absl::Span<const Value>> r = g.GetBlock(data->root, 0, 2);
  if (!r.ok()) return InField("dynheader", r.status());
  PluginHeader h;
  absl::StatusOr<std::string_view> magic = g.GetString((*r)[0]);
  if (!magic.ok()) return InField("dynu_magic", magic.status());
  h.magic = std::string(*magic);
  constexpr std::string_view kPrefix = "Caml1999D";
  constexpr size_t kMagicSizeBytes = 12;
  if (h.magic.size() != kMagicSizeBytes ||
      h.magic.substr(0, kPrefix.size()) != kPrefix) {
    return absl::InvalidArgumentError(
        fmt::format("dynu_magic: \"{}\" is not the magic of a plugin header "
                    "(\"{}\")",
                    h.magic, CmxsMagic(formats::OcamlVersion::k413)));
  }
  const std::string_view digits =
      std::string_view(h.magic).substr(kPrefix.size());
  const std::optional<formats::OcamlVersion> version =
      formats::VersionOfMagicDigits(digits);
  if (!version.has_value()) {
    std::vector<std::string> known;
    for (formats::OcamlVersion v : formats::kOcamlVersions) {
      known.push_back(
          fmt::format("{} (\"{}\")", formats::VersionName(v), CmxsMagic(v)));
    }
    return absl::UnimplementedError(fmt::format(
        "plugin header of {} (magic \"{}\"); camlsym reads those of OCaml {}",
        formats::ReleaseOfMagicDigits(digits), h.magic,
        fmt::join(known, ", ")));
  }
  h.version = *version;
  absl::StatusOr<std::vector<Value>> units = g.GetList((*r)[1]);
  if (!units.ok()) return InField("dynu_units", units.status());
  for (size_t i = 0; i < units->size(); ++i) {
    absl::StatusOr<DynUnit> u = DecodeDynUnit(g, (*units)[i]);
    if (!u.ok()) return InField(fmt::format("dynu_units[{}]", i), u.status());
    h.units.push_back(*std::move(u));
  }
  return h;
}

}  // namespace camlsym
