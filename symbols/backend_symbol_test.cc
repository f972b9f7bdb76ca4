#include "camlsym/symbols/backend_symbol.h"

#include "gtest/gtest.h"

namespace camlsym {
namespace {

const ManglingScheme k413 = ManglingScheme::Ocaml413();

TEST(BackendSymbolTest, FromMiddleEndMangles) {
  CompilationUnit u = *CompilationUnit::Parse("Pack.Foo");
  ObjectFile f = ObjectFile::CurrentUnit(u);
  BackendSymbol code = BackendSymbol::FromMiddleEnd(
      MiddleEndSymbol::CodePointer(u, "f", 12), f, k413);
  EXPECT_EQ(code.name(), "camlPack__Foo__f_12");
  EXPECT_EQ(code.kind(), SymbolKind::kCode);
  EXPECT_EQ(code.object_file(), f);
  EXPECT_EQ(
      BackendSymbol::FromMiddleEnd(MiddleEndSymbol::ModuleBlock(u), f, k413)
          .name(),
      "camlPack__Foo");
  BackendSymbol cst = BackendSymbol::FromMiddleEnd(
      MiddleEndSymbol::AnonymousConstant(u, 4), f, k413);
  EXPECT_EQ(cst.name(), "camlPack__Foo__4");
  EXPECT_EQ(cst.kind(), SymbolKind::kData);
  EXPECT_EQ(
      BackendSymbol::FromMiddleEnd(
          MiddleEndSymbol::Exception(PredefinedException::kFailure), f, k413)
          .name(),
      "caml_exn_Failure");

  ManglingScheme s51(ManglingVersion::kOcaml51,
                     SeparatorPlatform::kUnixNotApple);
  EXPECT_EQ(BackendSymbol::FromMiddleEnd(
                MiddleEndSymbol::CodePointer(u, "f", 12), f, s51)
                .name(),
            "camlPack.Foo.f_12");
}

TEST(BackendSymbolTest, MarkersAndStartupNames) {
  ObjectFile stdlib_list =
      ObjectFile::OtherUnit(*CompilationUnit::Parse("Stdlib__List"));
  EXPECT_EQ(BackendSymbol::Marker("Stdlib__List", UnitMarker::kEntry,
                                  stdlib_list, k413)
                .name(),
            "camlStdlib__List__entry");
  EXPECT_EQ(BackendSymbol::Marker("Stdlib__List", UnitMarker::kEntry,
                                  stdlib_list, k413)
                .kind(),
            SymbolKind::kCode);
  EXPECT_EQ(BackendSymbol::MarkerOf(ObjectFile::Startup(),
                                    UnitMarker::kFrametable, k413)
                .name(),
            "caml_startup__frametable");
  EXPECT_EQ(BackendSymbol::MarkerOf(ObjectFile::SharedStartup(),
                                    UnitMarker::kCodeBegin, k413)
                .name(),
            "caml_shared_startup__code_begin");
  ManglingScheme s51(ManglingVersion::kOcaml51,
                     SeparatorPlatform::kUnixNotApple);
  // The runtime keeps `__` for the markers its C code names, but 5.x's
  // libasmrun.a defines `caml_system.frametable` (nm of Debian's 5.3.0 and
  // 5.4.1: `D caml_system.frametable`, `T caml_system__code_begin`).
  EXPECT_EQ(BackendSymbol::MarkerOf(ObjectFile::RuntimeAndExternalLibs(),
                                    UnitMarker::kFrametable, s51)
                .name(),
            "caml_system.frametable");
  EXPECT_EQ(BackendSymbol::MarkerOf(ObjectFile::RuntimeAndExternalLibs(),
                                    UnitMarker::kCodeBegin, s51)
                .name(),
            "caml_system__code_begin");
  EXPECT_EQ(BackendSymbol::Program().name(), "caml_program");
  EXPECT_EQ(BackendSymbol::Program().kind(), SymbolKind::kCode);
  EXPECT_EQ(BackendSymbol::GlobalsMap().name(), "caml_globals_map");
  EXPECT_EQ(BackendSymbol::Exception(PredefinedException::kNotFound).name(),
            "caml_exn_Not_found");
  ObjectFile st = ObjectFile::Startup();
  EXPECT_EQ(BackendSymbol::CurryPartialApp(3, 1, st).name(),
            "caml_curry3_1_app");
  EXPECT_EQ(BackendSymbol::CurryPartial(3, 1, st).name(), "caml_curry3_1");
  EXPECT_EQ(BackendSymbol::Curry(17, st).name(), "caml_curry17");
  EXPECT_EQ(BackendSymbol::Tuplify(4, st).name(), "caml_tuplify4");
  EXPECT_EQ(BackendSymbol::Apply(2, st).name(), "caml_apply2");
  EXPECT_EQ(BackendSymbol::Send(0, st).name(), "caml_send0");
  EXPECT_EQ(BackendSymbol::CallGc().object_file(),
            ObjectFile::RuntimeAndExternalLibs());
  EXPECT_EQ(BackendSymbol::GlobalsInited().name(), "caml_globals_inited");
  EXPECT_EQ(fmt::format("{}", BackendSymbol::Program()), "caml_program");
}

}  // namespace
}  // namespace camlsym
