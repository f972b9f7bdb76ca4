#include "camlsym/linking_state/linked_unit.h"

#include "gtest/gtest.h"

namespace camlsym {
namespace {

using formats::UnitInfos;

UnitInfos Infos(std::string name, std::string symbol,
                std::vector<std::string> defines) {
  UnitInfos u;
  u.name = std::move(name);
  u.symbol = std::move(symbol);
  u.defines = std::move(defines);
  return u;
}

const ManglingScheme kOcaml413 = ManglingScheme::Ocaml413();

// What ocamlopt 4.13 writes for stdlib's list.ml (compiled as
// Stdlib__List, no -for-pack): no prefix, however many `__` the name has.
TEST(TypeUnitInfos, UnitWithoutPack) {
  absl::StatusOr<LinkedUnit> u = TypeUnitInfos(
      Infos("Stdlib__List", "Stdlib__List", {"Stdlib__List"}), "list.cmx");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->unit.FullPath(), "Stdlib__List");
  EXPECT_FALSE(u->unit.is_packed());
  EXPECT_EQ(u->object_file, ObjectFile::OtherUnit(u->unit));
  ASSERT_EQ(u->defines.size(), 1u);
  EXPECT_EQ(u->defines[0].Marker(UnitMarker::kEntry, kOcaml413).name(),
            "camlStdlib__List__entry");
  EXPECT_EQ(u->defines[0].ModuleBlock(kOcaml413).name(), "camlStdlib__List");
}

// asmlink.ml object_file_name_of_file: the .o beside a .cmx, the .a beside
// a .cmxa, which the unit's typed form carries.
TEST(TypeUnitInfos, ObjectFileBesideTheFile) {
  EXPECT_EQ(ObjectFileNameOfFile("dir/x'y.cmx").value(), "dir/x'y.o");
  EXPECT_EQ(ObjectFileNameOfFile("lib.cmxa").value(), "lib.a");
  EXPECT_EQ(ObjectFileNameOfFile("x.cmi").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ObjectFileNameOfFile(".cmx").status().code(),
            absl::StatusCode::kInvalidArgument);
  absl::StatusOr<LinkedUnit> u =
      TypeUnitInfos(Infos("A", "A", {"A"}), "d/lib.cmxa");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->object_path, "d/lib.a");
  EXPECT_EQ(TypeUnitInfos(Infos("A", "A", {"A"}), "a.cmi").status().code(),
            absl::StatusCode::kInvalidArgument);
}

// `ocamlopt -for-pack Pk.Sub -c a.ml`: ui_name A, ui_symbol Pk__Sub__A
// (compilenv.ml symbolname_for_pack).
TEST(TypeUnitInfos, ForPackPrefixComesFromTheSymbol) {
  absl::StatusOr<LinkedUnit> u =
      TypeUnitInfos(Infos("A", "Pk__Sub__A", {"Pk__Sub__A"}), "a.cmx");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->unit.FullPath(), "Pk.Sub.A");
  EXPECT_EQ(u->defines[0].Marker(UnitMarker::kGcRoots, kOcaml413).name(),
            "camlPk__Sub__A__gc_roots");
}

// A unit name with `__` under a pack: the name is ui_name, whole.
TEST(TypeUnitInfos, PackedUnitWhoseNameHasTheSeparator) {
  absl::StatusOr<LinkedUnit> u =
      TypeUnitInfos(Infos("Lib__X", "Pk__Lib__X", {"Pk__Lib__X"}), "x.cmx");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->unit.for_pack_prefix().size(), 1u);
  EXPECT_EQ(u->unit.name().str(), "Lib__X");
}

// `ocamlopt -pack -o pk.cmx a.cmx b.cmx`: ui_defines lists the members'
// defines, then the pack (asmpackager.ml build_package_cmx); every module
// lives in pk.o.
TEST(TypeUnitInfos, PackDefinesItsMembers) {
  absl::StatusOr<LinkedUnit> u =
      TypeUnitInfos(Infos("Pk", "Pk", {"Pk__A", "Pk__B", "Pk"}), "pk.cmx");
  ASSERT_TRUE(u.ok()) << u.status();
  ASSERT_EQ(u->defines.size(), 3u);
  EXPECT_EQ(u->defines[0].unit.FullPath(), "Pk.A");
  EXPECT_EQ(u->defines[1].unit.FullPath(), "Pk.B");
  EXPECT_EQ(u->defines[2].unit.FullPath(), "Pk");
  for (const LinkedModule& m : u->defines) {
    EXPECT_EQ(m.object_file, u->object_file) << m.unit.FullPath();
  }
  EXPECT_EQ(u->defines[1].Marker(UnitMarker::kEntry, kOcaml413).name(),
            "camlPk__B__entry");
}

// OCaml 5.1 on: the prefix is ui_for_pack; a pack's members follow its
// symbol after the separator the version spells (`.` on Linux).
TEST(TypeUnitInfos, ForPackFieldOfOcaml5) {
  UnitInfos a = Infos("A", "Pk.Sub.A", {"Pk.Sub.A"});
  a.for_pack = "Pk.Sub";
  absl::StatusOr<LinkedUnit> u = TypeUnitInfos(a, "a.cmx");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->unit.FullPath(), "Pk.Sub.A");
  absl::StatusOr<LinkedUnit> pack =
      TypeUnitInfos(Infos("Pk", "Pk", {"Pk.A", "Pk"}), "pk.cmx");
  ASSERT_TRUE(pack.ok()) << pack.status();
  EXPECT_EQ(pack->defines[0].unit.FullPath(), "Pk.A");
  UnitInfos bad = a;
  bad.for_pack = "pk";
  EXPECT_EQ(TypeUnitInfos(bad, "a.cmx").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(LinkedUnitOf, UnitDefiningItself) {
  const CompilationUnit unit = CompilationUnit::Parse("Pk.A").value();
  const LinkedUnit u = LinkedUnitOf(unit);
  EXPECT_EQ(u.object_file, ObjectFile::OtherUnit(unit));
  ASSERT_EQ(u.defines.size(), 1u);
  EXPECT_EQ(u.defines[0].unit, unit);
  EXPECT_EQ(u.defines[0].Marker(UnitMarker::kEntry, kOcaml413).name(),
            "camlPk__A__entry");
}

TEST(TypeUnitInfos, Errors) {
  struct Case {
    UnitInfos info;
    std::string message_part;
  } cases[] = {
      {Infos("lower", "lower", {"lower"}), "not a module name"},
      {Infos("A", "B", {"B"}), "neither the unit name"},
      {Infos("A", "XA", {"XA"}), "neither the unit name"},
      {Infos("A", "p__A", {"p__A"}), "bad for-pack prefix"},
      {Infos("A", "A", {}), "do not end with its symbol"},
      {Infos("A", "A", {"B", "A"}), "not a member of the pack"},
      {Infos("A", "A", {"A__x", "A"}), "bad pack member"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<LinkedUnit> u = TypeUnitInfos(c.info, "f.cmx");
    ASSERT_FALSE(u.ok()) << c.info.symbol;
    EXPECT_EQ(u.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(u.status().message().find("f.cmx: unit "), std::string::npos)
        << u.status();
    EXPECT_NE(u.status().message().find(c.message_part), std::string::npos)
        << u.status();
  }
}

}  // namespace
}  // namespace camlsym
