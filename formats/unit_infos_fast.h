// A direct decoder for the Marshal data of a .cmx of OCaml 4.13 or 5.1 to
// 5.4 (whose unit_infos add ui_for_pack): it reads unit_infos from the
// bytes, without building a MarshalGraph, for the common shape of the file
// (strings new or shared, blocks never shared within the decoded fields, no
// custom blocks in the export information). A link reads every .cmx's import
// lists, which in a deep dependency graph are most of the bytes (a 1000-unit
// chain: 500,000 entries), so this is the hot path of `camlsym startup` and
// `camlsym link`.
//
// It accepts only data that the general reader (marshal_reader.h +
// ParseCmx's field decoders) accepts, with the same result: on anything
// else (malformed data included) it returns nullopt and the caller falls
// back to the general reader, which reports the error. StringNode values
// are the objects' Marshal numbers (their order of appearance), so they
// identify the same objects as the general reader's (cmx.h StringNode:
// only equality is meaningful).
//
// Mirrors: runtime/intern.c (object numbering, sizes), file_formats/
// cmx_format.mli (unit_infos) (OCaml 4.13.1; 5.1 to 5.4 for ui_for_pack).
#ifndef CAMLSYM_FORMATS_UNIT_INFOS_FAST_H_
#define CAMLSYM_FORMATS_UNIT_INFOS_FAST_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "camlsym/formats/cmx.h"

namespace camlsym::formats {

/// The unit_infos of a .cmx decoded by DecodeUnitInfosFast.
struct FastUnitInfos {
  UnitInfos info;
  UnitInfosNodes nodes;
  /// Bytes of Marshal data (header included), as MarshalData::size_bytes.
  uint64_t size_bytes;
};

/// Decodes the Marshal'd unit_infos at the start of \p input (the bytes
/// after a .cmx's magic) of \p kind, written by OCaml \p version (its
/// layout: ui_for_pack from 5.1), recording the import lists' string
/// objects or not as \p import_objects says. nullopt if the data is not in
/// the common shape or not well formed; never an error.
std::optional<FastUnitInfos> DecodeUnitInfosFast(
    std::string_view input, ExportInfoKind kind, OcamlVersion version,
    ImportObjects import_objects = ImportObjects::kRecorded);

/// ParseCmx without the direct decoder: the general reader only. For tests
/// that compare the two; errors as ParseCmx.
absl::StatusOr<CmxFile> ParseCmxGeneral(
    std::string_view bytes, std::string_view file_name_for_errors,
    CrcCheck crc_check = CrcCheck::kVerify,
    ImportObjects import_objects = ImportObjects::kRecorded);

}  // namespace camlsym::formats

#endif  // CAMLSYM_FORMATS_UNIT_INFOS_FAST_H_
