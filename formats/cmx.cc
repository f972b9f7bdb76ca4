#include "camlsym/formats/cmx.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "camlsym/formats/marshal_reader.h"
#include "camlsym/formats/marshal_value.h"
#include "camlsym/formats/ocaml_version.h"
#include "camlsym/formats/str_cat.h"
#include "camlsym/formats/unit_infos_fast.h"

namespace camlsym::formats {
namespace {

// The index of ui_export_info in unit_infos (cmx_format.mli).
constexpr uint64_t kExportInfoField = 8;

constexpr std::string_view kMagicPrefix = "Caml1999";
constexpr size_t kMagicSizeBytes = 12;

// Prefixes \p status's message with the file name, keeping its code.
absl::Status InFile(std::string_view file, const absl::Status& status) {
  return absl::Status(status.code(),
                      internal::StrCat(file, ": ", status.message()));
}

// Prefixes the error of a field decoder with the field's path.
absl::Status InField(std::string_view field, const absl::Status& status) {
  return absl::Status(status.code(),
                      internal::StrCat(field, ": ", status.message()));
}

// The file kind OCaml's Misc.Magic_number gives each letter.
std::string_view KindOfMagicLetter(char c) {
  switch (c) {
    case 'X':
      return "bytecode executable";
    case 'I':
      return ".cmi";
    case 'O':
      return ".cmo";
    case 'A':
      return ".cma";
    case 'Y':
    case 'y':
      return ".cmx";
    case 'Z':
    case 'z':
      return ".cmxa";
    case 'D':
      return ".cmxs";
    case 'T':
      return ".cmt";
    case 'M':
      return "implementation AST";
    case 'N':
      return "interface AST";
    default:
      return "unknown OCaml";
  }
}

// What a magic number says: the release and the middle end.
struct MagicInfo {
  OcamlVersion version;
  ExportInfoKind export_info_kind;
};

// Checks the 12-byte magic; \p kind is 'Y' (.cmx) or 'Z' (.cmxa).
absl::StatusOr<MagicInfo> CheckMagic(std::string_view bytes,
                                     std::string_view file, char kind) {
  const std::string_view ext = kind == 'Y' ? ".cmx" : ".cmxa";
  if (bytes.size() < kMagicSizeBytes ||
      bytes.substr(0, kMagicPrefix.size()) != kMagicPrefix) {
    return absl::InvalidArgumentError(internal::StrCat(
        file, ": not an OCaml ", ext, " file (no Caml1999 magic)"));
  }
  const char letter = bytes[kMagicPrefix.size()];
  const std::string_view digits = bytes.substr(kMagicPrefix.size() + 1, 3);
  const char lower = static_cast<char>(kind - 'A' + 'a');
  if (letter != kind && letter != lower) {
    return absl::InvalidArgumentError(
        internal::StrCat(file, ": not an OCaml ", ext, " file (its magic \"",
                         bytes.substr(0, kMagicSizeBytes), "\" is that of a ",
                         KindOfMagicLetter(letter), " file)"));
  }
  const std::optional<OcamlVersion> version = VersionOfMagicDigits(digits);
  if (!version.has_value()) {
    std::string read;
    for (OcamlVersion v : kOcamlVersions) {
      read += internal::StrCat(read.empty() ? "" : ", ", VersionName(v),
                               " (\"Caml1999", std::string(1, kind),
                               MagicDigits(v), "\")");
    }
    return absl::UnimplementedError(internal::StrCat(
        file, ": ", ext, " file written by ", ReleaseOfMagicDigits(digits),
        " (magic \"", bytes.substr(0, kMagicSizeBytes),
        "\"); camlsym reads those of OCaml ", read));
  }
  return MagicInfo{*version, letter == kind ? ExportInfoKind::kClambda
                                            : ExportInfoKind::kFlambda};
}

absl::StatusOr<std::string> DecodeString(const MarshalGraph& g, Value v) {
  absl::StatusOr<std::string_view> s = g.GetString(v);
  if (!s.ok()) return s.status();
  return std::string(*s);
}

absl::StatusOr<Digest> DecodeDigest(const MarshalGraph& g, Value v) {
  absl::StatusOr<std::string_view> s = g.GetString(v);
  if (!s.ok()) return s.status();
  if (s->size() != 16) {
    return absl::InvalidArgumentError(internal::StrCat(
        "expected a 16-byte digest, got a string of ", s->size(), " bytes"));
  }
  Digest d;
  std::memcpy(d.data(), s->data(), 16);
  return d;
}

absl::StatusOr<std::vector<std::string>> DecodeStringList(const MarshalGraph& g,
                                                          Value v) {
  absl::StatusOr<std::vector<Value>> list = g.GetList(v);
  if (!list.ok()) return list.status();
  std::vector<std::string> out;
  out.reserve(list->size());
  for (size_t i = 0; i < list->size(); ++i) {
    absl::StatusOr<std::string> s = DecodeString(g, (*list)[i]);
    if (!s.ok()) return InField(internal::StrCat("[", i, "]"), s.status());
    out.push_back(*std::move(s));
  }
  return out;
}

absl::StatusOr<std::vector<int>> DecodeIntList(const MarshalGraph& g, Value v) {
  absl::StatusOr<std::vector<Value>> list = g.GetList(v);
  if (!list.ok()) return list.status();
  std::vector<int> out;
  out.reserve(list->size());
  for (size_t i = 0; i < list->size(); ++i) {
    absl::StatusOr<int> n = g.GetSmallInt((*list)[i]);
    if (!n.ok()) return InField(internal::StrCat("[", i, "]"), n.status());
    out.push_back(*n);
  }
  return out;
}

// A `crcs` value: (string * Digest.t option) list; the string objects go to
// \p nodes unless it is null.
absl::StatusOr<Crcs> DecodeCrcs(const MarshalGraph& g, Value v,
                                std::vector<ImportNodes>* nodes) {
  absl::StatusOr<std::vector<Value>> list = g.GetList(v);
  if (!list.ok()) return list.status();
  Crcs out;
  out.Reserve(list->size(), 0);
  if (nodes != nullptr) nodes->reserve(list->size());
  for (size_t i = 0; i < list->size(); ++i) {
    const std::string where = internal::StrCat("[", i, "]");
    absl::StatusOr<absl::Span<const Value>> pair = g.GetBlock((*list)[i], 0, 2);
    if (!pair.ok()) return InField(where, pair.status());
    absl::StatusOr<std::string_view> name = g.GetString((*pair)[0]);
    if (!name.ok()) {
      return InField(internal::StrCat(where, ".name"), name.status());
    }
    ImportNodes import_nodes{(*pair)[0].node(), std::nullopt};
    absl::StatusOr<std::optional<Value>> crc = g.GetOption((*pair)[1]);
    if (!crc.ok())
      return InField(internal::StrCat(where, ".crc"), crc.status());
    std::optional<Digest> digest;
    if (crc->has_value()) {
      absl::StatusOr<Digest> d = DecodeDigest(g, **crc);
      if (!d.ok()) return InField(internal::StrCat(where, ".crc"), d.status());
      digest = *d;
      import_nodes.crc = (*crc)->node();
    }
    if (!out.Append(*name, digest)) {
      return absl::ResourceExhaustedError(
          internal::StrCat("the names up to ", where, " take more than ",
                           Crcs::kMaxNameBytes, " bytes"));
    }
    if (nodes != nullptr) nodes->push_back(import_nodes);
  }
  return out;
}

// Decodes one unit_infos record (tag 0; 10 fields, 11 from 5.1); its string
// objects go to \p nodes.
absl::StatusOr<UnitInfos> DecodeUnitInfos(
    const MarshalGraph& g, Value v, const MagicInfo& magic,
    UnitInfosNodes& nodes,
    ImportObjects import_objects = ImportObjects::kRecorded) {
  const bool record = import_objects == ImportObjects::kRecorded;
  const bool has_for_pack = HasForPackField(magic.version);
  absl::StatusOr<absl::Span<const Value>> r =
      g.GetBlock(v, 0, has_for_pack ? 11 : 10);
  if (!r.ok()) return InField("unit_infos", r.status());
  const absl::Span<const Value> f = *r;
  UnitInfos ui;
  ui.export_info_kind = magic.export_info_kind;
  ui.version = magic.version;
  {
    absl::StatusOr<std::string> s = DecodeString(g, f[0]);
    if (!s.ok()) return InField("unit_infos.ui_name", s.status());
    ui.name = *std::move(s);
    nodes.name = f[0].node();
  }
  {
    absl::StatusOr<std::string> s = DecodeString(g, f[1]);
    if (!s.ok()) return InField("unit_infos.ui_symbol", s.status());
    ui.symbol = *std::move(s);
    nodes.symbol = f[1].node();
  }
  {
    absl::StatusOr<std::vector<std::string>> l = DecodeStringList(g, f[2]);
    if (!l.ok()) return InField("unit_infos.ui_defines", l.status());
    ui.defines = *std::move(l);
    // DecodeStringList checked that every element is a string node.
    const absl::StatusOr<std::vector<Value>> elements = g.GetList(f[2]);
    for (Value d : *elements) nodes.defines.push_back(d.node());
  }
  {
    absl::StatusOr<Crcs> l =
        DecodeCrcs(g, f[3], record ? &nodes.imports_cmi : nullptr);
    if (!l.ok()) return InField("unit_infos.ui_imports_cmi", l.status());
    ui.imports_cmi = *std::move(l);
  }
  {
    absl::StatusOr<Crcs> l =
        DecodeCrcs(g, f[4], record ? &nodes.imports_cmx : nullptr);
    if (!l.ok()) return InField("unit_infos.ui_imports_cmx", l.status());
    ui.imports_cmx = *std::move(l);
  }
  const std::pair<const char*, std::vector<int>*> int_lists[] = {
      {"unit_infos.ui_curry_fun", &ui.curry_fun},
      {"unit_infos.ui_apply_fun", &ui.apply_fun},
      {"unit_infos.ui_send_fun", &ui.send_fun}};
  for (size_t i = 0; i < 3; ++i) {
    absl::StatusOr<std::vector<int>> l = DecodeIntList(g, f[5 + i]);
    if (!l.ok()) return InField(int_lists[i].first, l.status());
    *int_lists[i].second = *std::move(l);
  }
  // f[kExportInfoField] is ui_export_info, skipped.
  absl::StatusOr<bool> force = g.GetBool(f[9]);
  if (!force.ok()) return InField("unit_infos.ui_force_link", force.status());
  ui.force_link = *force;
  if (has_for_pack) {
    absl::StatusOr<std::optional<Value>> pack = g.GetOption(f[10]);
    if (!pack.ok()) return InField("unit_infos.ui_for_pack", pack.status());
    if (pack->has_value()) {
      absl::StatusOr<std::string> s = DecodeString(g, **pack);
      if (!s.ok()) return InField("unit_infos.ui_for_pack", s.status());
      ui.for_pack = *std::move(s);
    }
  }
  return ui;
}

absl::StatusOr<Digest> Md5(std::string_view bytes) {
  Digest d;
  unsigned int size = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), d.data(), &size, EVP_md5(),
                 nullptr) != 1 ||
      size != d.size()) {
    return absl::InternalError("MD5 computation failed (OpenSSL EVP_Digest)");
  }
  return d;
}

}  // namespace

std::string DigestToHex(const Digest& d) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (uint8_t b : d) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xF]);
  }
  return out;
}

namespace {

enum class Decoder { kDirectFirst, kGeneralOnly };

absl::StatusOr<CmxFile> ParseCmxWith(std::string_view bytes,
                                     std::string_view file_name_for_errors,
                                     Decoder decoder, CrcCheck crc_check,
                                     ImportObjects import_objects) {
  const std::string_view file = file_name_for_errors;
  absl::StatusOr<MagicInfo> magic = CheckMagic(bytes, file, 'Y');
  if (!magic.ok()) return magic.status();
  // The direct decoder takes the common shape of a file; anything else (and
  // every error) goes through the general reader below.
  std::optional<FastUnitInfos> fast =
      decoder == Decoder::kDirectFirst
          ? DecodeUnitInfosFast(bytes.substr(kMagicSizeBytes),
                                magic->export_info_kind, magic->version,
                                import_objects)
          : std::nullopt;
  // ui_export_info (field 8) is checked but not built: camlsym never reads
  // it, and it is most of a .cmx.
  absl::StatusOr<MarshalData> data =
      fast.has_value()
          ? absl::StatusOr<MarshalData>(absl::UnknownError("not read"))
          : ReadMarshalSkipping(bytes.substr(kMagicSizeBytes),
                                MarshalSkip{kExportInfoField}, kMagicSizeBytes);
  if (!fast.has_value() && !data.ok()) return InFile(file, data.status());
  const uint64_t crc_at =
      kMagicSizeBytes +
      (fast.has_value() ? fast->size_bytes : data->size_bytes);
  if (bytes.size() - crc_at < 16) {
    return absl::InvalidArgumentError(internal::StrCat(
        file, ": truncated: the 16-byte CRC at byte ", crc_at, " is missing"));
  }
  if (bytes.size() - crc_at > 16) {
    return absl::InvalidArgumentError(
        internal::StrCat(file, ": ", bytes.size() - crc_at - 16,
                         " unexpected bytes after the CRC at byte ", crc_at));
  }
  CmxFile cmx;
  std::memcpy(cmx.crc.data(), bytes.data() + crc_at, 16);
  if (crc_check == CrcCheck::kVerify) {
    absl::StatusOr<Digest> md5 = Md5(bytes.substr(0, crc_at));
    if (!md5.ok()) return InFile(file, md5.status());
    if (*md5 != cmx.crc) {
      return absl::DataLossError(internal::StrCat(
          file, ": the CRC at byte ", crc_at, " is ", DigestToHex(cmx.crc),
          " but the MD5 of the bytes before it is ", DigestToHex(*md5)));
    }
  }
  if (fast.has_value()) {
    cmx.info = std::move(fast->info);
    cmx.nodes = std::move(fast->nodes);
    return cmx;
  }
  absl::StatusOr<UnitInfos> ui = DecodeUnitInfos(
      data->graph, data->root, *magic, cmx.nodes, import_objects);
  if (!ui.ok()) return InFile(file, ui.status());
  cmx.info = *std::move(ui);
  return cmx;
}

}  // namespace

absl::StatusOr<CmxFile> ParseCmx(std::string_view bytes,
                                 std::string_view file_name_for_errors,
                                 CrcCheck crc_check,
                                 ImportObjects import_objects) {
  return ParseCmxWith(bytes, file_name_for_errors, Decoder::kDirectFirst,
                      crc_check, import_objects);
}

absl::StatusOr<CmxFile> ParseCmxGeneral(std::string_view bytes,
                                        std::string_view file_name_for_errors,
                                        CrcCheck crc_check,
                                        ImportObjects import_objects) {
  return ParseCmxWith(bytes, file_name_for_errors, Decoder::kGeneralOnly,
                      crc_check, import_objects);
}

absl::StatusOr<CmxaFile> ParseCmxa(std::string_view bytes,
                                   std::string_view file_name_for_errors) {
  const std::string_view file = file_name_for_errors;
  absl::StatusOr<MagicInfo> magic = CheckMagic(bytes, file, 'Z');
  if (!magic.ok()) return magic.status();
  absl::StatusOr<MarshalData> data =
      ReadMarshal(bytes.substr(kMagicSizeBytes), kMagicSizeBytes);
  if (!data.ok()) return InFile(file, data.status());
  const uint64_t end = kMagicSizeBytes + data->size_bytes;
  if (end != bytes.size()) {
    return absl::InvalidArgumentError(internal::StrCat(
        file, ": ", bytes.size() - end,
        " unexpected bytes after the library infos at byte ", end));
  }
  const MarshalGraph& g = data->graph;
  absl::StatusOr<absl::Span<const Value>> r = g.GetBlock(data->root, 0, 3);
  if (!r.ok()) return InFile(file, InField("library_infos", r.status()));
  CmxaFile cmxa;
  cmxa.version = magic->version;
  absl::StatusOr<std::vector<Value>> units = g.GetList((*r)[0]);
  if (!units.ok()) {
    return InFile(file, InField("library_infos.lib_units", units.status()));
  }
  cmxa.units.reserve(units->size());
  for (size_t i = 0; i < units->size(); ++i) {
    const std::string where =
        internal::StrCat("library_infos.lib_units[", i, "]");
    absl::StatusOr<absl::Span<const Value>> pair =
        g.GetBlock((*units)[i], 0, 2);
    if (!pair.ok()) return InFile(file, InField(where, pair.status()));
    UnitInfosNodes nodes;
    absl::StatusOr<UnitInfos> ui =
        DecodeUnitInfos(g, (*pair)[0], *magic, nodes);
    if (!ui.ok()) return InFile(file, InField(where, ui.status()));
    absl::StatusOr<Digest> crc = DecodeDigest(g, (*pair)[1]);
    if (!crc.ok()) {
      return InFile(file,
                    InField(internal::StrCat(where, ".crc"), crc.status()));
    }
    cmxa.units.push_back(LibUnit{*std::move(ui), *crc, std::move(nodes)});
  }
  absl::StatusOr<std::vector<std::string>> ccobjs =
      DecodeStringList(g, (*r)[1]);
  if (!ccobjs.ok()) {
    return InFile(file, InField("library_infos.lib_ccobjs", ccobjs.status()));
  }
  cmxa.ccobjs = *std::move(ccobjs);
  absl::StatusOr<std::vector<std::string>> ccopts =
      DecodeStringList(g, (*r)[2]);
  if (!ccopts.ok()) {
    return InFile(file, InField("library_infos.lib_ccopts", ccopts.status()));
  }
  cmxa.ccopts = *std::move(ccopts);
  return cmxa;
}

namespace {

// ReadFileBounded into \p buffer, whose bytes are reused (it grows when a
// file is larger than its size, and never shrinks): the contents are its
// first bytes, which the returned view shows (valid until \p buffer
// changes). A link reads thousands of files one after the other: with one
// buffer a thread, each file costs no allocation and no zeroing of a new
// string's bytes (13 MB for the 1000-unit chain).
absl::StatusOr<std::string_view> ReadFileInto(std::string_view path,
                                              uint64_t max_size_bytes,
                                              std::string& buffer,
                                              FileIdentity* identity) {
  const std::string p(path);
  // Plain open/fstat/read: a link reads thousands of small files, and
  // stdio's buffer would cost more than the reading.
  const int fd = open(p.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    const std::string msg = internal::StrCat(path, ": ", std::strerror(err));
    if (err == ENOENT) return absl::NotFoundError(msg);
    if (err == EACCES) return absl::PermissionDeniedError(msg);
    return absl::InternalError(msg);
  }
  auto read_error = [&](int err) {
    close(fd);
    return absl::InternalError(
        internal::StrCat(path, ": read error: ", std::strerror(err)));
  };
  auto too_large_error = [&] {
    return absl::ResourceExhaustedError(internal::StrCat(
        path, ": file is larger than ", max_size_bytes, " bytes"));
  };
  auto too_large = [&] {
    close(fd);
    return too_large_error();
  };
  struct stat st;
  if (fstat(fd, &st) != 0) return read_error(errno);
  if (identity != nullptr) {
    *identity = FileIdentity{static_cast<uint64_t>(st.st_dev),
                             static_cast<uint64_t>(st.st_ino)};
  }
  // A regular file's size is known: read that many bytes at once (and stop
  // there, without a read() to see the end). Other files (pipes, devices,
  // and /proc's, whose size is 0) are read until the end in pieces.
  const bool sized = S_ISREG(st.st_mode) && st.st_size > 0;
  const size_t size = static_cast<size_t>(st.st_size);
  if (sized) {
    if (static_cast<uint64_t>(st.st_size) > max_size_bytes) return too_large();
    if (buffer.size() < size) buffer.resize(size);
  }
  size_t done = 0;
  while (!sized || done < size) {
    if (done == buffer.size()) {
      // Another piece, up to one byte past the bound (to see it passed).
      if (done > max_size_bytes) return too_large();
      const uint64_t cap =
          max_size_bytes == UINT64_MAX ? max_size_bytes : max_size_bytes + 1;
      buffer.resize(
          std::min<uint64_t>(cap, std::max<size_t>(done * 2, 1 << 16)));
    }
    const size_t want = sized ? size - done : buffer.size() - done;
    const ssize_t n = read(fd, buffer.data() + done, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      return read_error(errno);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  close(fd);
  if (done > max_size_bytes) return too_large_error();
  // A regular file that shrank since fstat, or the end of another file.
  return std::string_view(buffer.data(), done);
}

// The buffer of ReadFileInto for the .cmx and .cmxa files a thread reads;
// one larger than this is released after use.
constexpr size_t kKeptBufferBytes = size_t{64} << 20;
std::string& ThreadReadBuffer() {
  thread_local std::string buffer;
  return buffer;
}
void ReleaseIfLarge(std::string& buffer) {
  if (buffer.size() > kKeptBufferBytes) std::string().swap(buffer);
}

}  // namespace

absl::StatusOr<std::string> ReadFileBounded(std::string_view path,
                                            uint64_t max_size_bytes,
                                            FileIdentity* identity) {
  std::string contents;
  absl::StatusOr<std::string_view> read =
      ReadFileInto(path, max_size_bytes, contents, identity);
  if (!read.ok()) return read.status();
  contents.resize(read->size());
  return contents;
}

namespace {

// Reads \p path into this thread's buffer and gives its bytes to \p parse
// (ParseCmx or ParseCmxa), then records the file's identity in what it
// parsed.
template <typename Parse>
auto ReadAndParse(std::string_view path, Parse parse)
    -> decltype(parse(std::string_view())) {
  FileIdentity identity;
  std::string& buffer = ThreadReadBuffer();
  absl::StatusOr<std::string_view> bytes =
      ReadFileInto(path, kMaxCmxFileSizeBytes, buffer, &identity);
  if (!bytes.ok()) return bytes.status();
  auto file = parse(*bytes);
  ReleaseIfLarge(buffer);
  if (file.ok()) file->file_identity = identity;
  return file;
}

}  // namespace

absl::StatusOr<CmxFile> ReadCmx(std::string_view path, CrcCheck crc_check,
                                ImportObjects import_objects) {
  return ReadAndParse(path, [&](std::string_view bytes) {
    return ParseCmx(bytes, path, crc_check, import_objects);
  });
}

absl::StatusOr<CmxaFile> ReadCmxa(std::string_view path) {
  return ReadAndParse(
      path, [&](std::string_view bytes) { return ParseCmxa(bytes, path); });
}

}  // namespace camlsym::formats
