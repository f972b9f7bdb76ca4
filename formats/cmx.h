// Readers for .cmx (compilation unit description) and .cmxa (library
// description) files of OCaml 4.13 and 5.1 to 5.4 (formats/ocaml_version.h).
//
// A .cmx file is the 12-byte magic "Caml1999Y030" ("Caml1999y030" when the
// compiler was configured with flambda; "Caml1999Y033" to "Y036" for 5.1 to
// 5.4), one Marshal'd `unit_infos`, then the
// 16-byte MD5 of everything before it, which is the unit's implementation CRC
// (what other units record in their ui_imports_cmx). A .cmxa file is the
// magic "Caml1999Z030" ("Caml1999z030" with flambda, "Z033" to "Z036" for
// 5.x) and one Marshal'd `library_infos`, with no trailing digest. From 5.1
// `unit_infos` has an 11th field, `ui_for_pack`; the layout is otherwise the
// same. The export information
// (ui_export_info: Clambda or Flambda approximations) is read but not
// decoded.
//
// Mirrors: file_formats/cmx_format.mli, middle_end/compilenv.ml
// (write_unit_info, read_unit_info, read_library_info), utils/config.mlp
// (OCaml 4.13.1; 5.1 to 5.4: cmx_format.mli, compilenv.ml,
// utils/config.common.ml).

#ifndef CAMLSYM_FORMATS_CMX_H_
#define CAMLSYM_FORMATS_CMX_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "camlsym/formats/crcs.h"
#include "camlsym/formats/ocaml_version.h"
#include "fmt/format.h"

namespace camlsym::formats {

/// The 32 lowercase hex digits of \p d, as Digest.to_hex prints them.
std::string DigestToHex(const Digest& d);

/// Formats a Digest as lowercase hex with fmt: `fmt::format("{}",
/// HexDigest{d})`.
struct HexDigest {
  const Digest& digest;
};

/// Which middle end produced the export information.
enum class ExportInfoKind {
  kClambda,  ///< "Caml1999Y030" / "Caml1999Z030" files.
  kFlambda,  ///< "Caml1999y030" / "Caml1999z030" files.
};

/// The fields of `Cmx_format.unit_infos` that camlsym uses.
struct UnitInfos {
  std::string name;    ///< ui_name: the unit name, e.g. "Stdlib__List".
  std::string symbol;  ///< ui_symbol: prefix of the unit's symbols.
  std::vector<std::string> defines;  ///< ui_defines: unit and sub-units.
  Crcs imports_cmi;                  ///< ui_imports_cmi.
  Crcs imports_cmx;                  ///< ui_imports_cmx.
  /// ui_curry_fun: arities of caml_curryN; a negative -N means caml_tuplifyN.
  std::vector<int> curry_fun;
  std::vector<int> apply_fun;  ///< ui_apply_fun: arities of caml_applyN.
  std::vector<int> send_fun;   ///< ui_send_fun: arities of caml_sendN.
  ExportInfoKind export_info_kind = ExportInfoKind::kClambda;
  bool force_link = false;  ///< ui_force_link: linked even if not referenced.
  /// ui_for_pack (5.1 on): the pack the unit was compiled for (`-for-pack
  /// P`), nullopt if none; always nullopt for 4.13, whose files lack it.
  std::optional<std::string> for_pack;
  /// The OCaml release that wrote the file (its magic number).
  OcamlVersion version = OcamlVersion::k413;
  friend bool operator==(const UnitInfos&, const UnitInfos&) = default;
};

/// Identifies an OCaml string object in the Marshal data of one file (a
/// .cmx, or a whole .cmxa): two strings of that file with the same
/// StringNode are one object (Marshal shared them), so an OCaml program that
/// reads the file and marshals them again writes a shared back-reference.
/// It is the object's MarshalGraph NodeIndex; only equality is meaningful,
/// and only within one file.
using StringNode = uint32_t;

/// The StringNode of an import's name and, if it has one, of its CRC.
struct ImportNodes {
  StringNode name;
  std::optional<StringNode> crc;
  friend bool operator==(const ImportNodes&, const ImportNodes&) = default;
};

/// Which string objects the strings of a UnitInfos were read from, field by
/// field (each vector parallels the UnitInfos vector of the same name, but
/// \p imports_cmi and \p imports_cmx are empty when the file was read with
/// ImportObjects::kOmitted).
/// Needed to marshal unit infos again byte for byte as ocamlopt does, e.g.
/// in a plugin header, where `ui_name`, the head of `ui_defines` and the
/// unit's own entry in `ui_imports_cmi` are usually one object.
struct UnitInfosNodes {
  StringNode name;
  StringNode symbol;
  std::vector<StringNode> defines;
  std::vector<ImportNodes> imports_cmi;
  std::vector<ImportNodes> imports_cmx;
  friend bool operator==(const UnitInfosNodes&,
                         const UnitInfosNodes&) = default;
};

/// Which file a path named when it was read: its device and inode (stat's
/// st_dev and st_ino), to compare files by identity, not by spelling.
struct FileIdentity {
  uint64_t device = 0;
  uint64_t inode = 0;
  friend bool operator==(const FileIdentity&, const FileIdentity&) = default;
};

/// A .cmx file.
struct CmxFile {
  UnitInfos info;
  Digest crc{};  ///< The implementation CRC: MD5 of the file's other bytes.
  /// The string objects of \p info, within this file's Marshal data.
  UnitInfosNodes nodes;
  /// The file read, for ReadCmx; nullopt for ParseCmx.
  std::optional<FileIdentity> file_identity;
};

/// A unit of a .cmx library: its infos and the CRC of its .cmx.
struct LibUnit {
  UnitInfos info;
  Digest crc{};
  /// The string objects of \p info, within the .cmxa's Marshal data (shared
  /// by all units of the library).
  UnitInfosNodes nodes;
};

/// A .cmxa file.
struct CmxaFile {
  /// The OCaml release that wrote the file (its magic number); also the
  /// `version` of each unit.
  OcamlVersion version = OcamlVersion::k413;
  std::vector<LibUnit> units;  ///< lib_units, in link order.
  /// lib_ccobjs: C objects and -l options, in reverse command-line order.
  std::vector<std::string> ccobjs;
  /// lib_ccopts: C linker options, in reverse command-line order.
  std::vector<std::string> ccopts;
  /// The file read, for ReadCmxa; nullopt for ParseCmxa.
  std::optional<FileIdentity> file_identity;
};

/// Whether ParseCmx checks a .cmx's trailing CRC.
enum class CrcCheck {
  /// The CRC must be the MD5 of the bytes before it (kDataLoss otherwise).
  kVerify,
  /// The CRC is taken as written, as ocamlopt's linker takes it
  /// (middle_end/compilenv.ml `read_unit_info` reads it with Digest.input
  /// and never recomputes it): a link needs the CRC other units recorded,
  /// not proof that the file is intact, and hashing every input is most of
  /// the reading of a deep dependency graph. Corrupt Marshal data is still
  /// an error.
  kAsStored,
};

/// Whether ParseCmx records which string objects the import lists' names and
/// CRCs are (UnitInfosNodes::imports_cmi, imports_cmx: 12 bytes an import,
/// 6 MB for a 1000-unit chain). Only marshalling the imports again needs
/// them (a plugin's header); an executable's link does not.
enum class ImportObjects {
  kRecorded,  ///< UnitInfosNodes::imports_cmi and imports_cmx are filled.
  kOmitted,   ///< They are left empty (the other nodes are recorded).
};

/// Largest file ReadCmx and ReadCmxa accept: 1 GiB.
inline constexpr uint64_t kMaxCmxFileSizeBytes = uint64_t{1} << 30;

/// Parses the bytes \p bytes of a .cmx file; \p file_name_for_errors starts
/// every error message ("a.cmx: ..."); \p import_objects says whether the
/// import lists' string objects are recorded.
/// Errors:
/// - kInvalidArgument: not an OCaml .cmx file (no "Caml1999" magic, or the
///   magic of another kind of file); Marshal data or unit_infos malformed
///   (the message names the byte offset or the field); bytes after the CRC.
/// - kUnimplemented: a .cmx written by an OCaml version camlsym does not
///   read (the message names it, e.g. "written by OCaml 4.14"); camlsym
///   reads 4.13's and 5.1's to 5.4's.
/// - kDataLoss (with CrcCheck::kVerify only): the trailing CRC is not the
///   MD5 of the bytes before it.
/// - kResourceExhausted: the names of one import list take more than
///   Crcs::kMaxNameBytes (back-references repeating a long string).
absl::StatusOr<CmxFile> ParseCmx(
    std::string_view bytes, std::string_view file_name_for_errors,
    CrcCheck crc_check = CrcCheck::kVerify,
    ImportObjects import_objects = ImportObjects::kRecorded);

/// Reads the whole file \p path (at most kMaxCmxFileSizeBytes) and parses it
/// with ParseCmx, \p crc_check and \p import_objects. Errors as ParseCmx, plus
/// kNotFound / kPermissionDenied / kInternal when the file cannot be opened or
/// read, and kResourceExhausted when it is larger than 1 GiB.
absl::StatusOr<CmxFile> ReadCmx(
    std::string_view path, CrcCheck crc_check = CrcCheck::kVerify,
    ImportObjects import_objects = ImportObjects::kRecorded);

/// Parses the bytes \p bytes of a .cmxa file. Errors as ParseCmx, except that
/// a .cmxa has no CRC (so no kDataLoss) and bytes after the Marshal data are
/// kInvalidArgument.
absl::StatusOr<CmxaFile> ParseCmxa(std::string_view bytes,
                                   std::string_view file_name_for_errors);

/// Reads the whole file \p path and parses it with ParseCmxa. Errors as
/// ReadCmx.
absl::StatusOr<CmxaFile> ReadCmxa(std::string_view path);

/// Reads the whole file \p path into memory, refusing files larger than
/// \p max_size_bytes; if \p identity is not null, stores there the identity
/// of the file read (fstat of the open file: no second lookup of \p path).
/// A regular file is read in one read() of the size fstat gives (more only
/// if the kernel returns less). Errors: kNotFound, kPermissionDenied,
/// kInternal (other I/O errors), kResourceExhausted (too large); each
/// message names the file.
absl::StatusOr<std::string> ReadFileBounded(std::string_view path,
                                            uint64_t max_size_bytes,
                                            FileIdentity* identity = nullptr);

}  // namespace camlsym::formats

/// fmt support for HexDigest: 32 lowercase hex digits.
template <>
struct fmt::formatter<camlsym::formats::HexDigest>
    : fmt::formatter<std::string_view> {
  auto format(const camlsym::formats::HexDigest& h,
              fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(
        camlsym::formats::DigestToHex(h.digest), ctx);
  }
};

#endif  // CAMLSYM_FORMATS_CMX_H_
