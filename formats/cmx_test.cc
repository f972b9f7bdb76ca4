#include "camlsym/formats/cmx.h"

#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "camlsym/formats/marshal_value.h"
#include "camlsym/formats/marshal_writer.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym::formats {
namespace {

Digest MakeDigest(uint8_t first) {
  Digest d{};
  for (size_t i = 0; i < d.size(); ++i) d[i] = static_cast<uint8_t>(first + i);
  return d;
}

std::string AsString(const Digest& d) {
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

std::string Md5(std::string_view bytes) {
  Digest d;
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), d.data(), &size, EVP_md5(), nullptr);
  return AsString(d);
}

// The raw 11th field (ui_for_pack) of a 5.x unit_infos, or none (4.13).
struct ForPackField {
  std::optional<Value> value;
};

// Builds a unit_infos value; \p force_link is the raw field so that tests can
// put a non-bool there; \p for_pack the 11th field, if any.
Value BuildUnitInfos(MarshalGraph& g, Value force_link,
                     ForPackField for_pack = {}) {
  const Value name = g.AddString("Foo");
  const Value defines[] = {name};
  const Value cmi_entry[] = {g.AddString("Foo"),
                             g.AddOption(g.AddString(AsString(MakeDigest(1))))};
  const Value cmi_none[] = {g.AddString("Bar"), Value::Int(0)};
  const Value cmi[] = {g.AddBlock(0, cmi_entry), g.AddBlock(0, cmi_none)};
  const Value cmx_entry[] = {g.AddString("Baz"),
                             g.AddOption(g.AddString(AsString(MakeDigest(7))))};
  const Value cmx[] = {g.AddBlock(0, cmx_entry)};
  const Value curry[] = {Value::Int(2), Value::Int(-3)};
  const Value apply[] = {Value::Int(4)};
  const Value approx[] = {Value::Int(0)};
  std::vector<Value> fields = {name,
                               g.AddString("Foo"),
                               g.AddList(defines),
                               g.AddList(cmi),
                               g.AddList(cmx),
                               g.AddList(curry),
                               g.AddList(apply),
                               Value::Int(0),
                               g.AddBlock(0, approx),
                               force_link};
  if (for_pack.value.has_value()) fields.push_back(*for_pack.value);
  return g.AddBlock(0, fields);
}

UnitInfos ExpectedUnitInfos(ExportInfoKind kind) {
  UnitInfos ui;
  ui.name = "Foo";
  ui.symbol = "Foo";
  ui.defines = {"Foo"};
  ui.imports_cmi = {{"Foo", MakeDigest(1)}, {"Bar", std::nullopt}};
  ui.imports_cmx = {{"Baz", MakeDigest(7)}};
  ui.curry_fun = {2, -3};
  ui.apply_fun = {4};
  ui.send_fun = {};
  ui.export_info_kind = kind;
  ui.force_link = true;
  return ui;
}

std::string MakeCmx(std::string_view magic, Value force_link = Value::Int(1),
                    ForPackField for_pack = {}) {
  MarshalGraph g;
  const Value root = BuildUnitInfos(g, force_link, for_pack);
  std::string bytes = std::string(magic) + *WriteMarshal(g, root);
  return bytes + Md5(bytes);
}

TEST(DigestTest, HexFormatting) {
  const Digest d = MakeDigest(0xF0);
  EXPECT_EQ(DigestToHex(d), "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
  EXPECT_EQ(fmt::format("{}", HexDigest{d}), DigestToHex(d));
}

TEST(ParseCmxTest, ReadsTheUnitInfosAndChecksTheCrc) {
  const std::string bytes = MakeCmx("Caml1999Y030");
  absl::StatusOr<CmxFile> cmx = ParseCmx(bytes, "foo.cmx");
  ASSERT_TRUE(cmx.ok()) << cmx.status();
  EXPECT_EQ(cmx->info, ExpectedUnitInfos(ExportInfoKind::kClambda));
  EXPECT_EQ(AsString(cmx->crc), bytes.substr(bytes.size() - 16));
}

// A 5.x .cmx: the 11th field is ui_for_pack, and the magic gives the version.
std::string MakeCmx5(std::string_view magic,
                     std::optional<std::string_view> pack) {
  MarshalGraph g;
  const Value for_pack =
      pack.has_value() ? g.AddOption(g.AddString(*pack)) : Value::Int(0);
  const Value root = BuildUnitInfos(g, Value::Int(1), ForPackField{for_pack});
  std::string bytes = std::string(magic) + *WriteMarshal(g, root);
  return bytes + Md5(bytes);
}

TEST(ParseCmxTest, ReadsEachOcaml5VersionWithItsForPackField) {
  const std::pair<const char*, OcamlVersion> versions[] = {
      {"Caml1999Y033", OcamlVersion::k51},
      {"Caml1999Y034", OcamlVersion::k52},
      {"Caml1999Y035", OcamlVersion::k53},
      {"Caml1999Y036", OcamlVersion::k54}};
  for (const auto& [magic, version] : versions) {
    absl::StatusOr<CmxFile> cmx =
        ParseCmx(MakeCmx5(magic, "Pack.Sub"), "foo.cmx");
    ASSERT_TRUE(cmx.ok()) << cmx.status();
    UnitInfos expected = ExpectedUnitInfos(ExportInfoKind::kClambda);
    expected.version = version;
    expected.for_pack = "Pack.Sub";
    EXPECT_EQ(cmx->info, expected) << magic;
    cmx = ParseCmx(MakeCmx5(magic, std::nullopt), "foo.cmx");
    ASSERT_TRUE(cmx.ok()) << cmx.status();
    EXPECT_EQ(cmx->info.for_pack, std::nullopt);
  }
  absl::StatusOr<CmxFile> old = ParseCmx(MakeCmx("Caml1999Y030"), "foo.cmx");
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_EQ(old->info.version, OcamlVersion::k413);
  EXPECT_EQ(old->info.for_pack, std::nullopt);
}

TEST(ParseCmxTest, FieldCountMustMatchTheVersion) {
  // A 4.13 layout (10 fields) under a 5.3 magic, and the reverse.
  absl::Status s = ParseCmx(MakeCmx("Caml1999Y035"), "foo.cmx").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("unit_infos"), absl::string_view::npos)
      << s.message();
  s = ParseCmx(MakeCmx5("Caml1999Y030", "P"), "foo.cmx").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  // A for_pack that is not a string option.
  s = ParseCmx(
          MakeCmx("Caml1999Y035", Value::Int(1), ForPackField{Value::Int(3)}),
          "foo.cmx")
          .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("ui_for_pack"), absl::string_view::npos)
      << s.message();
}

TEST(ParseCmxTest, RecordsWhichStringsAreOneObject) {
  absl::StatusOr<CmxFile> cmx = ParseCmx(MakeCmx("Caml1999Y030"), "foo.cmx");
  ASSERT_TRUE(cmx.ok()) << cmx.status();
  const UnitInfosNodes& n = cmx->nodes;
  ASSERT_EQ(n.defines.size(), 1u);
  ASSERT_EQ(n.imports_cmi.size(), 2u);
  ASSERT_EQ(n.imports_cmx.size(), 1u);
  // ui_name and ui_defines' head are one object; the equal ui_symbol and the
  // "Foo" of ui_imports_cmi are not.
  EXPECT_EQ(n.name, n.defines[0]);
  EXPECT_NE(n.name, n.symbol);
  EXPECT_NE(n.name, n.imports_cmi[0].name);
  EXPECT_TRUE(n.imports_cmi[0].crc.has_value());
  EXPECT_FALSE(n.imports_cmi[1].crc.has_value());
  EXPECT_NE(n.imports_cmi[0].crc, n.imports_cmx[0].crc);
}

TEST(ParseCmxTest, FlambdaMagicIsAccepted) {
  absl::StatusOr<CmxFile> cmx = ParseCmx(MakeCmx("Caml1999y030"), "foo.cmx");
  ASSERT_TRUE(cmx.ok()) << cmx.status();
  EXPECT_EQ(cmx->info.export_info_kind, ExportInfoKind::kFlambda);
}

TEST(ParseCmxTest, WrongCrcIsDataLoss) {
  std::string bytes = MakeCmx("Caml1999Y030");
  bytes.back() ^= 1;
  absl::Status s = ParseCmx(bytes, "foo.cmx").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_TRUE(absl::StartsWith(s.message(), "foo.cmx: "));
}

TEST(ParseCmxTest, WrongCrcIsTakenAsStoredWhenAsked) {
  // As ocamlopt's linker reads a .cmx (compilenv.ml read_unit_info): the
  // trailing CRC as written.
  std::string bytes = MakeCmx("Caml1999Y030");
  bytes.back() ^= 1;
  absl::StatusOr<CmxFile> cmx = ParseCmx(bytes, "foo.cmx", CrcCheck::kAsStored);
  ASSERT_TRUE(cmx.ok()) << cmx.status();
  EXPECT_EQ(AsString(cmx->crc), bytes.substr(bytes.size() - 16));
  absl::StatusOr<CmxFile> verified =
      ParseCmx(MakeCmx("Caml1999Y030"), "foo.cmx", CrcCheck::kVerify);
  ASSERT_TRUE(verified.ok()) << verified.status();
  EXPECT_EQ(cmx->info, verified->info);
  // A missing CRC is still an error.
  absl::Status s = ParseCmx(std::string_view(bytes).substr(0, bytes.size() - 1),
                            "foo.cmx", CrcCheck::kAsStored)
                       .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(s.message(), "foo.cmx: truncated")) << s;
}

TEST(ParseCmxTest, OtherVersionsAreUnimplementedAndNamed) {
  absl::Status s = ParseCmx(MakeCmx("Caml1999Y031"), "dir/foo.cmx").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(s.message().find("dir/foo.cmx"), absl::string_view::npos);
  EXPECT_NE(s.message().find("OCaml 4.14"), absl::string_view::npos);
  EXPECT_NE(s.message().find("camlsym reads those of OCaml 4.13 "
                             "(\"Caml1999Y030\"), 5.1"),
            absl::string_view::npos)
      << s.message();
  const std::pair<const char*, const char*> versions[] = {
      {"Caml1999Y027", "OCaml 4.10"},
      {"Caml1999Y029", "OCaml 4.12"},
      {"Caml1999Y032", "OCaml 5.0"},
      {"Caml1999Y037", "newer than 5.4"},
      {"Caml1999Y016", "older than 4.06"}};
  for (const auto& [magic, version] : versions) {
    s = ParseCmx(MakeCmx(magic), "foo.cmx").status();
    EXPECT_EQ(s.code(), absl::StatusCode::kUnimplemented);
    EXPECT_NE(s.message().find(version), absl::string_view::npos)
        << s.message();
  }
}

TEST(ParseCmxTest, NonCmxFilesAreInvalidArgument) {
  absl::Status s = ParseCmx(
                       "\x7f"
                       "ELF and so on",
                       "foo.o")
                       .status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "foo.o: not an OCaml .cmx file (no Caml1999 magic)");
  s = ParseCmx(MakeCmx("Caml1999I030"), "foo.cmi").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("not an OCaml .cmx file"),
            absl::string_view::npos);
  EXPECT_NE(s.message().find(".cmi file"), absl::string_view::npos);
  EXPECT_EQ(ParseCmx("", "empty.cmx").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ParseCmxTest, MalformedRecordsNameTheField) {
  absl::Status s =
      ParseCmx(MakeCmx("Caml1999Y030", Value::Int(2)), "foo.cmx").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("ui_force_link"), absl::string_view::npos)
      << s.message();
}

TEST(ParseCmxTest, MarshalErrorsNameTheFileOffset) {
  std::string bytes = MakeCmx("Caml1999Y030");
  bytes[12] = 'X';  // Breaks the Marshal magic.
  absl::Status s = ParseCmx(bytes, "foo.cmx").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      absl::StartsWith(s.message(), "foo.cmx: marshal data at byte 12:"))
      << s.message();
}

TEST(ParseCmxTest, TrailingOrMissingCrcBytes) {
  const std::string bytes = MakeCmx("Caml1999Y030");
  EXPECT_EQ(ParseCmx(bytes + "x", "foo.cmx").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      ParseCmx(bytes.substr(0, bytes.size() - 1), "foo.cmx").status().code(),
      absl::StatusCode::kInvalidArgument);
}

std::string MakeCmxa(std::string_view magic) {
  MarshalGraph g;
  const Value unit_pair[] = {BuildUnitInfos(g, Value::Int(1)),
                             g.AddString(AsString(MakeDigest(9)))};
  const Value units[] = {g.AddBlock(0, unit_pair)};
  const Value ccobjs[] = {g.AddString("-lfoo"), g.AddString("bar.o")};
  const Value fields[] = {g.AddList(units), g.AddList(ccobjs), Value::Int(0)};
  return std::string(magic) + *WriteMarshal(g, g.AddBlock(0, fields));
}

TEST(ParseCmxaTest, ReadsTheLibraryInfos) {
  absl::StatusOr<CmxaFile> cmxa = ParseCmxa(MakeCmxa("Caml1999Z030"), "l.cmxa");
  ASSERT_TRUE(cmxa.ok()) << cmxa.status();
  ASSERT_EQ(cmxa->units.size(), 1u);
  EXPECT_EQ(cmxa->units[0].info, ExpectedUnitInfos(ExportInfoKind::kClambda));
  EXPECT_EQ(cmxa->units[0].crc, MakeDigest(9));
  EXPECT_EQ(cmxa->ccobjs, (std::vector<std::string>{"-lfoo", "bar.o"}));
  EXPECT_TRUE(cmxa->ccopts.empty());
}

TEST(ParseCmxaTest, ReadsOcaml5Libraries) {
  MarshalGraph g;
  const Value unit_pair[] = {
      BuildUnitInfos(g, Value::Int(0),
                     ForPackField{g.AddOption(g.AddString("P"))}),
      g.AddString(AsString(MakeDigest(9)))};
  const Value units[] = {g.AddBlock(0, unit_pair)};
  const Value fields[] = {g.AddList(units), Value::Int(0), Value::Int(0)};
  absl::StatusOr<CmxaFile> cmxa = ParseCmxa(
      "Caml1999Z036" + *WriteMarshal(g, g.AddBlock(0, fields)), "l.cmxa");
  ASSERT_TRUE(cmxa.ok()) << cmxa.status();
  ASSERT_EQ(cmxa->units.size(), 1u);
  EXPECT_EQ(cmxa->units[0].info.version, OcamlVersion::k54);
  EXPECT_EQ(cmxa->units[0].info.for_pack, "P");
  EXPECT_FALSE(cmxa->units[0].info.force_link);
  // The 4.13 layout under a 5.x magic is refused, naming the unit.
  absl::Status s = ParseCmxa(MakeCmxa("Caml1999Z033"), "l.cmxa").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("lib_units[0]"), absl::string_view::npos)
      << s.message();
}

TEST(ParseCmxaTest, Errors) {
  EXPECT_EQ(ParseCmxa(MakeCmxa("Caml1999Z031"), "l.cmxa").status().code(),
            absl::StatusCode::kUnimplemented);
  absl::Status s = ParseCmxa(MakeCmx("Caml1999Y030"), "l.cmxa").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("not an OCaml .cmxa file"),
            absl::string_view::npos);
  EXPECT_EQ(ParseCmxa(MakeCmxa("Caml1999Z030") + "x", "l.cmxa").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(ReadCmxTest, FileErrors) {
  absl::Status s = ReadCmx("/nonexistent/foo.cmx").status();
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_NE(s.message().find("/nonexistent/foo.cmx"), absl::string_view::npos);
  EXPECT_EQ(ReadCmxa("/nonexistent/foo.cmxa").status().code(),
            absl::StatusCode::kNotFound);
  const char* tmp = std::getenv("TEST_TMPDIR");
  const std::string path = std::string(tmp ? tmp : "/tmp") + "/foo.cmx";
  const std::string bytes = MakeCmx("Caml1999Y030");
  FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fwrite(bytes.data(), 1, bytes.size(), f);
  std::fclose(f);
  absl::StatusOr<CmxFile> cmx = ReadCmx(path);
  ASSERT_TRUE(cmx.ok()) << cmx.status();
  EXPECT_EQ(cmx->info.name, "Foo");
  EXPECT_EQ(ReadFileBounded(path, 10).status().code(),
            absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(ReadFileBounded(path, bytes.size())->size(), bytes.size());
  // The identity of the file read is stat's; ParseCmx has none.
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  const FileIdentity expected{static_cast<uint64_t>(st.st_dev),
                              static_cast<uint64_t>(st.st_ino)};
  EXPECT_EQ(cmx->file_identity, expected);
  FileIdentity identity;
  absl::StatusOr<std::string> read = ReadFileBounded(path, 1 << 20, &identity);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, bytes);
  EXPECT_EQ(identity, expected);
  EXPECT_EQ(ParseCmx(bytes, "foo.cmx")->file_identity, std::nullopt);
  // A thread reads its files into one buffer: a larger file read before
  // leaves nothing behind for a smaller one, and the other way round.
  const std::string longer_path = path + ".longer.cmx";
  f = std::fopen(longer_path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  const std::string longer = bytes + std::string(5000, 'z');
  std::fwrite(longer.data(), 1, longer.size(), f);
  std::fclose(f);
  for (int round = 0; round < 2; ++round) {
    absl::Status l = ReadCmx(longer_path).status();
    EXPECT_EQ(l.code(), absl::StatusCode::kInvalidArgument) << l;
    EXPECT_NE(l.message().find("5000 unexpected bytes after the CRC"),
              absl::string_view::npos)
        << l;
    absl::StatusOr<CmxFile> again = ReadCmx(path);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(again->info, cmx->info);
    EXPECT_EQ(again->crc, cmx->crc);
  }
}

// Files whose size fstat does not give are read to their end: a pipe, and
// /proc's (size 0); the bound holds for them too.
TEST(ReadFileBoundedTest, ReadsFilesOfUnknownSizeToTheirEnd) {
  absl::StatusOr<std::string> status =
      ReadFileBounded("/proc/self/status", 1 << 20);
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_NE(status->find("Name:"), std::string::npos) << *status;
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const std::string big(200000, 'x');  // Larger than one 64 KiB piece.
  std::thread writer([&] {
    for (size_t done = 0; done < big.size();) {
      const ssize_t n = write(fds[1], big.data() + done, big.size() - done);
      if (n <= 0) break;
      done += static_cast<size_t>(n);
    }
    close(fds[1]);
  });
  const std::string path = "/proc/self/fd/" + std::to_string(fds[0]);
  absl::StatusOr<std::string> piped = ReadFileBounded(path, big.size());
  writer.join();
  close(fds[0]);
  ASSERT_TRUE(piped.ok()) << piped.status();
  EXPECT_EQ(*piped, big);
  EXPECT_EQ(ReadFileBounded("/proc/self/status", 10).status().code(),
            absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace camlsym::formats
