#include "camlsym/symbols/demangle.h"

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "camlsym/symbols/demangle_text.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

// Demangles \p s, which must be an OCaml symbol, and checks the round trip.
DemangledSymbol Must(std::string_view s) {
  std::optional<DemangledSymbol> d = Demangle(s);
  EXPECT_TRUE(d.has_value()) << s;
  if (!d) return DemangledSymbol{};
  EXPECT_EQ(Mangle(*d), s);
  return *d;
}

std::string Plain(std::string_view s) {
  std::optional<DemangledSymbol> d = Demangle(s);
  if (!d) return "<none>";
  return RenderPlainString(*d);
}

TEST(DemangleTest, Ocaml413FunctionWithStamp) {
  DemangledSymbol d = Must("camlStdlib__List__map_123");
  EXPECT_EQ(d.scheme, DemangledScheme::kOcaml413);
  EXPECT_EQ(d.category, SymbolCategory::kFunctionOrValue);
  EXPECT_EQ(d.unit, "Stdlib__List");
  EXPECT_EQ(d.unit_component_count, 2);
  EXPECT_EQ(UnitComponents(d),
            (std::vector<std::string_view>{"Stdlib", "List"}));
  EXPECT_EQ(LocalName(d), "map");
  EXPECT_EQ(d.stamp, 123);
  EXPECT_FALSE(d.has_macos_prefix);
  EXPECT_EQ(RenderPlainString(d), "Stdlib.List.map");
}

TEST(DemangleTest, Ocaml413Escapes) {
  DemangledSymbol d = Must("camlStdlib__Bytes__$2b$2b_127");
  EXPECT_EQ(d.unit, "Stdlib__Bytes");
  EXPECT_EQ(d.local_raw, "$2b$2b");
  EXPECT_TRUE(d.local_needs_decoding);
  EXPECT_EQ(LocalName(d), "++");
  EXPECT_EQ(d.stamp, 127);
  EXPECT_EQ(Plain("camlStdlib__$5e$5e_444"), "Stdlib.^^");
  EXPECT_EQ(Plain("camlCamlinternalFormat__k$27_3451"),
            "CamlinternalFormat.k'");
  // A Latin-1 identifier byte (4.13 still accepted them).
  EXPECT_EQ(LocalName(Must("camlFoo__caf$e9_1")), "caf\xe9");
}

TEST(DemangleTest, Ocaml413MalformedEscapesAreRejected) {
  EXPECT_FALSE(Demangle("camlFoo__x$2_1"));   // One hex digit.
  EXPECT_FALSE(Demangle("camlFoo__x$2B_1"));  // Uppercase hex.
  EXPECT_FALSE(Demangle("camlFoo__x$"));      // Escape cut off.
  EXPECT_FALSE(Demangle("camlFoo__x$1g_1"));
  // Not a 4.13 escape, but a valid 5.4 name: `g1` of unit `Foo__x`.
  EXPECT_EQ(Must("camlFoo__x$g1_1").scheme, DemangledScheme::kOcaml54);
}

// Readings of \p s as "<scheme> <unit>|<local>|<category>" strings, primary
// first.
std::vector<std::string> Readings(std::string_view s) {
  DemangledReadings r;
  std::vector<std::string> out;
  for (std::size_t i = 0; i < DemangleAll(s, r); ++i) {
    const DemangledSymbol& d = r.readings[i];
    std::string unit;
    AppendUnitName(d, unit);
    out.push_back(std::string(SchemeName(d.scheme)) + " " + unit + "|" +
                  LocalName(d) + "|" + std::string(CategoryName(d.category)));
    EXPECT_EQ(Mangle(d), s);
  }
  if (!out.empty()) {
    std::optional<DemangledSymbol> first = Demangle(s);
    EXPECT_TRUE(first.has_value()) << s;
    if (first) {
      std::string unit;
      AppendUnitName(*first, unit);
      EXPECT_EQ(out[0], std::string(SchemeName(first->scheme)) + " " + unit +
                            "|" + LocalName(*first) + "|" +
                            std::string(CategoryName(first->category)))
          << s;
    }
  }
  return out;
}

// `x'y.ml` compiled by 4.13.1, 5.3.0 and 5.4.1 for Linux (see
// tests/demangle_oracle_test.cc), and 5.4 for macOS (Changes, #13050).
TEST(DemangleTest, EscapesInUnitNames) {
  for (const char* s :
       {"camlX$27y__f_81", "camlX$27y.f_270", "camlX$$27y$f_270"}) {
    DemangledSymbol d = Must(s);
    EXPECT_TRUE(d.unit_needs_decoding) << s;
    EXPECT_EQ(d.unit_component_count, 1) << s;
    std::string unit;
    AppendUnitName(d, unit);
    EXPECT_EQ(unit, "X'y") << s;
    EXPECT_EQ(LocalName(d), "f") << s;
    EXPECT_EQ(RenderPlainString(d), "X'y.f") << s;
    ASSERT_TRUE(UnitOf(d).ok()) << s << ": " << UnitOf(d).status();
    EXPECT_EQ(UnitOf(d)->FullPath(), "X'y");
    EXPECT_EQ(Readings(s).size(), 1u) << s;
  }
  EXPECT_EQ(Must("camlX$27y__f_81").scheme, DemangledScheme::kOcaml413);
  EXPECT_EQ(Must("camlX$27y.f_270").scheme, DemangledScheme::kOcaml51);
  EXPECT_EQ(Must("camlX$$27y$f_270").scheme, DemangledScheme::kOcaml54);
  // Escapes in both unit and local name; the marker and constants.
  EXPECT_EQ(Plain("camlX$27y__g$27_84"), "X'y.g'");
  EXPECT_EQ(Plain("camlX$27y.$2b$21_276"), "X'y.+!");
  EXPECT_EQ(Plain("camlX$27y__code_begin"), "X'y.<code_begin>");
  EXPECT_EQ(Plain("camlX$27y.1"), "X'y.<const_1>");
  // The module block: 4.13 and 5.1 spell it alike, 5.4's `$` scheme not.
  DemangledSymbol block = Must("camlX$27y");
  EXPECT_EQ(block.category, SymbolCategory::kModuleBlock);
  EXPECT_EQ(SchemesOf(block),
            (std::vector<DemangledScheme>{DemangledScheme::kOcaml413,
                                          DemangledScheme::kOcaml51}));
  EXPECT_EQ(SchemesOf(Must("camlX$$27y")),
            (std::vector<DemangledScheme>{DemangledScheme::kOcaml54}));
  // An escape of a byte the compiler never escapes is no escape.
  EXPECT_FALSE(Demangle("camlX$41y__f_1"));  // `A`
  EXPECT_FALSE(Demangle("camlX$0ay__f_1"));  // newline
  EXPECT_FALSE(Demangle("camlX$2ey.f_1"));   // `.` passes through in 5.1
}

TEST(DemangleTest, UnitEndingInUnderscoreBeforeMarkers) {
  // `upper__Case_.ml`, 4.13.1.
  EXPECT_EQ(
      Readings("camlUpper__Case___entry"),
      (std::vector<std::string>{"ocaml-4.13 Upper__Case_|entry|unit_marker"}));
  EXPECT_EQ(Plain("camlUpper__Case___entry"), "Upper.Case_.<entry>");
  EXPECT_EQ(Plain("camlUpper__Case___code_begin"), "Upper.Case_.<code_begin>");
  EXPECT_EQ(Readings("camlUpper__Case___1"),
            (std::vector<std::string>{
                "ocaml-4.13 Upper__Case_||anonymous_constant"}));
  EXPECT_EQ(
      Readings("camlUpper__Case_"),
      (std::vector<std::string>{"ocaml-4.13 Upper__Case_||module_block"}));
  // A value: `_f` of `Upper__Case` or `f` of `Upper__Case_`.
  EXPECT_EQ(Readings("camlUpper__Case___f_81"),
            (std::vector<std::string>{
                "ocaml-4.13 Upper__Case|_f|function_or_value",
                "ocaml-4.13 Upper__Case_|f|function_or_value"}));
  // 5.x is exact.
  EXPECT_EQ(
      Readings("camlUpper__Case_.entry"),
      (std::vector<std::string>{"ocaml-5.1 Upper__Case_|entry|unit_marker"}));
  EXPECT_EQ(
      Readings("camlUpper__Case_.f_270"),
      (std::vector<std::string>{"ocaml-5.1 Upper__Case_|f|function_or_value"}));
}

TEST(DemangleTest, DoubleUnderscoreInModuleBlockName) {
  // `a_b__c.ml`: the module block, in every scheme, never `c` of `A_b`.
  DemangledSymbol d = Must("camlA_b__c");
  EXPECT_EQ(d.category, SymbolCategory::kModuleBlock);
  EXPECT_EQ(d.unit, "A_b__c");
  EXPECT_EQ(d.unit_component_count, 1);
  EXPECT_EQ(SchemesOf(d),
            (std::vector<DemangledScheme>{DemangledScheme::kOcaml413,
                                          DemangledScheme::kOcaml51,
                                          DemangledScheme::kOcaml54}));
  EXPECT_EQ(Readings("camlA_b__c").size(), 1u);
  EXPECT_EQ(RenderPlainString(d), "A_b__c");
  EXPECT_EQ(Plain("camlA_b__c__entry"), "A_b__c.<entry>");
  EXPECT_EQ(Plain("camlA_b__c.entry"), "A_b__c.<entry>");
  // Its constant is also value `c_`, stamp 1, of `A_b`; names with a
  // trailing `_` (`constraint_`, in compiler-libs' Ast_helper) are far more
  // common than units with `__` before a lowercase letter, so that reading
  // comes first (`--units` tells them apart).
  EXPECT_EQ(
      Readings("camlA_b__c__1"),
      (std::vector<std::string>{"ocaml-4.13 A_b|c_|function_or_value",
                                "ocaml-4.13 A_b__c||anonymous_constant"}));
  EXPECT_EQ(Readings("camlAst_helper__constraint__898"),
            (std::vector<std::string>{
                "ocaml-4.13 Ast_helper|constraint_|function_or_value",
                "ocaml-4.13 Ast_helper__constraint||anonymous_constant"}));
  EXPECT_EQ(Plain("camlA_b__c.1"), "A_b__c.<const_1>");
}

TEST(DemangleTest, Ocaml413DoubleUnderscoreIsAmbiguous) {
  // `a_b__c.ml`'s `f`, or `a_b.ml`'s `c__f`.
  EXPECT_EQ(
      Readings("camlA_b__c__f_83"),
      (std::vector<std::string>{"ocaml-4.13 A_b|c__f|function_or_value",
                                "ocaml-4.13 A_b__c|f|function_or_value"}));
  // ocaml/ocaml#8998.
  EXPECT_EQ(Readings("camlA__b__c_1002").size(), 2u);
  // ocamllex's names in a unit `Lexer`, or `_ocaml_lex...` of `Lexer_`.
  EXPECT_EQ(Readings("camlLexer____ocaml_lex_token_rec_1134"),
            (std::vector<std::string>{
                "ocaml-4.13 Lexer|__ocaml_lex_token_rec|function_or_value",
                "ocaml-4.13 Lexer_|_ocaml_lex_token_rec|function_or_value"}));
  // Uppercase after `__` inside the unit, lowercase local: one reading.
  EXPECT_EQ(Readings("camlStdlib__List__map_289").size(), 1u);
  EXPECT_EQ(Readings("camlStdlib__Hashtbl__Make_951").size(), 1u);
  // 5.x is exact.
  EXPECT_EQ(Readings("camlA_b__c.f_83"),
            (std::vector<std::string>{"ocaml-5.1 A_b__c|f|function_or_value"}));
}

TEST(DemangleTest, DollarWithoutDotIsAmbiguousBetweenSchemes) {
  // 4.13: module block of a unit `Foo<0xab>_1`; 5.4 with `$`: `ab` of Foo.
  EXPECT_EQ(Readings("camlFoo$ab_1"),
            (std::vector<std::string>{"ocaml-5.4 Foo|ab|function_or_value",
                                      "ocaml-4.13 Foo\xab_1||module_block"}));
  // 4.13 `+` escape, or 5.4 `2b` (starts with a digit: not a name).
  EXPECT_EQ(Readings("camlFoo__$2b_1"),
            (std::vector<std::string>{"ocaml-4.13 Foo|+|function_or_value"}));
}

TEST(DemangleTest, FourAndFivePrintAlike) {
  for (const char* s : {"camlStdlib__List__map_289", "camlStdlib__List.map_289",
                        "camlStdlib__List$map_289"}) {
    EXPECT_EQ(Plain(s), "Stdlib.List.map") << s;
  }
  EXPECT_EQ(Plain("camlP__Sub__f_1"), "P.Sub.f");
  EXPECT_EQ(Plain("camlP.Sub.f_1"), "P.Sub.f");
  EXPECT_EQ(Plain("camlP$Sub$f_1"), "P.Sub.f");
  EXPECT_EQ(Plain("camlStdlib__List"), "Stdlib.List");
  EXPECT_EQ(Plain("camlStdlib__List.code_end"), "Stdlib.List.<code_end>");
}

TEST(DemangleTest, KeepStamps) {
  DemangledSymbol d = Must("camlStdlib__List.map_289");
  EXPECT_EQ(RenderPlainString(d, StampRendering::kKeep), "Stdlib.List.map_289");
  EXPECT_EQ(
      RenderPlainString(Must("camlFoo__f_12_closure"), StampRendering::kKeep),
      "Foo.f_12_closure");
  EXPECT_EQ(RenderPlainString(Must("camlFoo__1"), StampRendering::kKeep),
            "Foo.<const_1>");
  EXPECT_EQ(RenderPlainString(Must("_CamlU4MainSu15E2e_testml_5_15_300"),
                              StampRendering::kKeep),
            "Main.mod(test.ml:5:15)_300");
  // Without stamps, distinct symbols can print alike.
  EXPECT_EQ(Plain("camlFoo__fun_12"), Plain("camlFoo__fun_13"));
}

TEST(DemangleTest, AppendUnitNameWithSeparator) {
  std::string out;
  AppendUnitName(Must("camlP.Sub.f_1"), out, "__");
  EXPECT_EQ(out, "P__Sub");
  out.clear();
  AppendUnitName(Must("camlX$$27y$Sub$f_1"), out, "__");
  EXPECT_EQ(out, "X'y__Sub");
}

TEST(DemangleTest, FunctorIsLocalWithStamp) {
  DemangledSymbol d = Must("camlStdlib__Hashtbl__Make_951");
  EXPECT_EQ(d.category, SymbolCategory::kFunctionOrValue);
  EXPECT_EQ(d.unit, "Stdlib__Hashtbl");
  EXPECT_EQ(LocalName(d), "Make");
  EXPECT_EQ(d.stamp, 951);
  DemangledSymbol m =
      Must("camlDynlink_compilerlibs__Identifiable__Make_map_2437");
  EXPECT_EQ(m.unit, "Dynlink_compilerlibs__Identifiable");
  EXPECT_EQ(LocalName(m), "Make_map");
}

TEST(DemangleTest, LeftmostDoubleUnderscoreAndUnderscoreLocals) {
  DemangledSymbol d = Must("camlMain_args___I_2551");
  EXPECT_EQ(d.unit, "Main_args");
  EXPECT_EQ(d.unit_component_count, 1);
  EXPECT_EQ(LocalName(d), "_I");
  EXPECT_EQ(d.stamp, 2551);
  DemangledSymbol lex = Must("camlLexer____ocaml_lex_token_rec_1134");
  EXPECT_EQ(lex.unit, "Lexer");
  EXPECT_EQ(LocalName(lex), "__ocaml_lex_token_rec");
  // `b__c` of unit A (see the ambiguity note in demangle.h).
  DemangledSymbol bc = Must("camlA__b__c_1002");
  EXPECT_EQ(bc.unit, "A");
  EXPECT_EQ(LocalName(bc), "b__c");
}

TEST(DemangleTest, ModuleBlockAndMarkers) {
  DemangledSymbol block = Must("camlStdlib__List");
  EXPECT_EQ(block.category, SymbolCategory::kModuleBlock);
  EXPECT_EQ(block.unit, "Stdlib__List");
  EXPECT_EQ(LocalName(block), "");
  EXPECT_FALSE(block.stamp);
  EXPECT_EQ(RenderPlainString(block), "Stdlib.List");

  const std::pair<const char*, UnitMarker> markers[] = {
      {"entry", UnitMarker::kEntry},
      {"code_begin", UnitMarker::kCodeBegin},
      {"code_end", UnitMarker::kCodeEnd},
      {"data_begin", UnitMarker::kDataBegin},
      {"data_end", UnitMarker::kDataEnd},
      {"frametable", UnitMarker::kFrametable},
      {"gc_roots", UnitMarker::kGcRoots},
  };
  for (const auto& [name, marker] : markers) {
    std::string sym = std::string("camlStdlib__List__") + name;
    DemangledSymbol d = Must(sym);
    EXPECT_EQ(d.category, SymbolCategory::kUnitMarker) << sym;
    EXPECT_EQ(d.marker, marker) << sym;
    EXPECT_EQ(d.unit, "Stdlib__List");
    EXPECT_EQ(LocalName(d), name);
    EXPECT_EQ(RenderPlainString(d), std::string("Stdlib.List.<") + name + ">");
  }
  // A user value named `entry` always carries a stamp.
  EXPECT_EQ(Must("camlFoo__entry_12").category,
            SymbolCategory::kFunctionOrValue);
}

TEST(DemangleTest, AnonymousConstants) {
  DemangledSymbol d = Must("camlStdlib__12");
  EXPECT_EQ(d.category, SymbolCategory::kAnonymousConstant);
  EXPECT_EQ(d.unit, "Stdlib");
  EXPECT_EQ(d.stamp, 12);
  EXPECT_EQ(RenderPlainString(d), "Stdlib.<const_12>");
  DemangledSymbol p = Must("camlStdlib__Pervasives__1");
  EXPECT_EQ(p.unit, "Stdlib__Pervasives");
  EXPECT_EQ(p.stamp, 1);
  // Leading zeros never come from OCaml and would not round-trip.
  EXPECT_FALSE(Demangle("camlFoo__012"));
}

TEST(DemangleTest, NonCanonicalStampStaysInName) {
  DemangledSymbol d = Must("camlFoo__x_07");
  EXPECT_EQ(LocalName(d), "x_07");
  EXPECT_FALSE(d.stamp);
  DemangledSymbol e = Must("camlFoo__f_12_closure");
  EXPECT_EQ(LocalName(e), "f_12_closure");
  EXPECT_FALSE(e.stamp);
}

TEST(DemangleTest, PredefinedExceptions) {
  DemangledSymbol d = Must("caml_exn_Not_found");
  EXPECT_EQ(d.category, SymbolCategory::kPredefinedException);
  EXPECT_EQ(d.unit, "");
  EXPECT_EQ(LocalName(d), "Not_found");
  EXPECT_EQ(RenderPlainString(d), "Not_found");
  Must("caml_exn_Undefined_recursive_module");
  // Only multicore prereleases had this one in typing/predef.ml: the
  // startup files of 5.3.0 and 5.4.1 define the same 12 as 4.13.1.
  EXPECT_FALSE(Demangle("caml_exn_Continuation_already_taken"));
  EXPECT_FALSE(Demangle("caml_exn_Foo"));
}

TEST(DemangleTest, GenericFunctions) {
  struct Case {
    const char* sym;
    GenericFunctionKind kind;
    std::uint32_t arity;
    std::uint32_t applied;
  };
  const Case cases[] = {
      {"caml_curry3", GenericFunctionKind::kCurry, 3, 0},
      {"caml_curry3_1", GenericFunctionKind::kCurryPartial, 3, 1},
      {"caml_curry3_1_app", GenericFunctionKind::kCurryPartialApp, 3, 1},
      {"caml_curry21_20", GenericFunctionKind::kCurryPartial, 21, 20},
      {"caml_tuplify4", GenericFunctionKind::kTuplify, 4, 0},
      {"caml_apply5", GenericFunctionKind::kApply, 5, 0},
      {"caml_send2", GenericFunctionKind::kSend, 2, 0},
      {"caml_send0", GenericFunctionKind::kSend, 0, 0},
  };
  for (const Case& c : cases) {
    DemangledSymbol d = Must(c.sym);
    EXPECT_EQ(d.category, SymbolCategory::kGenericFunction) << c.sym;
    EXPECT_EQ(d.generic_kind, c.kind) << c.sym;
    EXPECT_EQ(d.generic_arity, c.arity) << c.sym;
    EXPECT_EQ(d.generic_applied, c.applied) << c.sym;
    EXPECT_EQ(RenderPlainString(d), c.sym);
  }
  EXPECT_EQ(RenderPlainString(Must("_caml_apply2")), "caml_apply2");
  EXPECT_FALSE(Demangle("caml_curry"));
  EXPECT_FALSE(Demangle("caml_curry3_3"));  // K must be below N.
  EXPECT_FALSE(Demangle("caml_curry3_0"));
  EXPECT_FALSE(Demangle("caml_apply2_1"));
  EXPECT_FALSE(Demangle("caml_curry03"));
  EXPECT_FALSE(Demangle("caml_curry3_1_ap"));
}

TEST(DemangleTest, RuntimeSymbols) {
  for (const char* s : {"caml_program", "caml_globals", "caml_globals_map",
                        "caml_data_segments", "caml_code_segments",
                        "caml_frametable", "caml_plugin_header"}) {
    DemangledSymbol d = Must(s);
    EXPECT_EQ(d.category, SymbolCategory::kRuntime) << s;
    EXPECT_EQ(d.unit, "") << s;
    EXPECT_EQ(RenderPlainString(d), s);
  }
  DemangledSymbol st = Must("caml_startup__code_begin");
  EXPECT_EQ(st.category, SymbolCategory::kRuntime);
  EXPECT_EQ(st.unit, "_startup");
  EXPECT_EQ(st.marker, UnitMarker::kCodeBegin);
  EXPECT_EQ(LocalName(st), "code_begin");
  ASSERT_TRUE(UnitOf(st).ok());
  EXPECT_EQ(*UnitOf(st), CompilationUnit::Startup());
  EXPECT_EQ(Must("caml_system__frametable").unit, "_system");
  EXPECT_EQ(Must("caml_shared_startup__data_end").unit, "_shared_startup");
  EXPECT_EQ(Must("caml_hot.code_begin").scheme, DemangledScheme::kOcaml51);
  EXPECT_EQ(Must("caml_system.frametable").scheme, DemangledScheme::kOcaml51);
  DemangledSymbol apple = Must("_caml_system$frametable");
  EXPECT_EQ(apple.scheme, DemangledScheme::kOcaml54);
  EXPECT_TRUE(apple.has_macos_prefix);
  EXPECT_EQ(RenderPlainString(apple), "caml_system$frametable");
}

TEST(DemangleTest, CamlUnderscorePrefilter) {
  for (const char* rest :
       {"exn_Not_found", "exn_Sys_blocked_io", "curry3", "curry3_1_app",
        "tuplify2", "apply2", "send1", "program", "globals", "globals_map",
        "data_segments", "code_segments", "frametable", "plugin_header",
        "startup__code_begin", "shared_startup.entry", "system__frametable",
        "hot.code_begin"}) {
    EXPECT_TRUE(MayBeCamlUnderscoreSymbol(rest)) << rest;
    EXPECT_TRUE(Demangle(std::string("caml_") + rest).has_value()) << rest;
  }
  // C names of the runtime, and names cut before a prefix is complete.
  for (const char* rest : {"alloc", "raise_exception", "call_gc",
                           "ml_array_blit", "startu", "exn", "ap", ""}) {
    EXPECT_FALSE(MayBeCamlUnderscoreSymbol(rest)) << rest;
  }
  // Some C names pass, and Demangle() refuses them.
  EXPECT_TRUE(MayBeCamlUnderscoreSymbol("startup_code"));
  EXPECT_FALSE(Demangle("caml_startup_code"));
}

TEST(DemangleTest, CRuntimePrimitivesAreNotOcamlSymbols) {
  EXPECT_FALSE(Demangle("caml_alloc"));
  EXPECT_FALSE(Demangle("caml_startup"));
  EXPECT_FALSE(Demangle("caml_globals_inited"));
  EXPECT_FALSE(Demangle("_caml_alloc_shr"));
  EXPECT_FALSE(Demangle("caml_startup__foo"));
}

TEST(DemangleTest, NotOcaml) {
  for (const char* s :
       {"", "c", "caml", "main", "_ZN4testE", "camlfoo", "__camlFoo__bar_0",
        "camlFoo__", "camlFoo__bar baz", "camlFoo.", "camlFoo__1x", "Camlfoo",
        "_", "_c", "camlFoo\xff"}) {
    EXPECT_FALSE(Demangle(s)) << s;
  }
}

TEST(DemangleTest, MacosPrefix) {
  DemangledSymbol d = Must("_camlStdlib__List__map_123");
  EXPECT_TRUE(d.has_macos_prefix);
  EXPECT_EQ(d.unit, "Stdlib__List");
  EXPECT_EQ(RenderPlainString(d), "Stdlib.List.map");
  EXPECT_EQ(d.symbol, "_camlStdlib__List__map_123");
}

TEST(DemangleTest, Ocaml51DotSeparator) {
  DemangledSymbol d = Must("camlStdlib__List.map_123");
  EXPECT_EQ(d.scheme, DemangledScheme::kOcaml51);
  EXPECT_EQ(d.separator, ".");
  EXPECT_EQ(d.unit, "Stdlib__List");
  EXPECT_EQ(d.unit_component_count, 1);
  EXPECT_EQ(LocalName(d), "map");
  // 4.x and 5.x print alike.
  EXPECT_EQ(RenderPlainString(d), "Stdlib.List.map");

  DemangledSymbol pack = Must("camlPack.Sub.Unit.f_12");
  EXPECT_EQ(pack.unit, "Pack.Sub.Unit");
  EXPECT_EQ(UnitComponents(pack),
            (std::vector<std::string_view>{"Pack", "Sub", "Unit"}));
  ASSERT_TRUE(UnitOf(pack).ok());
  EXPECT_EQ(UnitOf(pack)->FullPath(), "Pack.Sub.Unit");

  // `.` passes through escaping in 5.1, so it may appear inside a name.
  DemangledSymbol anon =
      Must("camlStdlib.anon_fn$5bstdlib.ml$3a334$2c0$2d$2d54$5d_1453");
  EXPECT_EQ(anon.unit, "Stdlib");
  EXPECT_EQ(LocalName(anon), "anon_fn[stdlib.ml:334,0--54]");
  EXPECT_EQ(anon.stamp, 1453);
  EXPECT_EQ(Must("camlFoo.code_begin").marker, UnitMarker::kCodeBegin);
  EXPECT_EQ(Must("camlFoo.12").category, SymbolCategory::kAnonymousConstant);
  // A genuine `__` inside a local name.
  EXPECT_EQ(LocalName(Must("camlA.b__c_5")), "b__c");
}

// 5.4 on Linux writes `.` and `$xx` (seen on Debian's 5.4.1: `x'y.ml` gives
// `camlX$27y.f_274`), exactly as 5.1 to 5.3; `$$xx` goes with `$` only.
TEST(DemangleTest, Ocaml54OnLinuxIsOcaml51) {
  DemangledSymbol d = Must("camlX$27y.f_274");
  EXPECT_EQ(d.scheme, DemangledScheme::kOcaml51);
  EXPECT_TRUE(d.unit_needs_decoding);
  std::string unit;
  AppendUnitName(d, unit);
  EXPECT_EQ(unit, "X'y");
  EXPECT_EQ(RenderPlainString(d), "X'y.f");
  EXPECT_FALSE(Demangle("camlStdlib.$$5e$$5e_444"));
  EXPECT_FALSE(Demangle("camlFoo.a$$5e$b_1"));
}

TEST(DemangleTest, Ocaml54DollarSeparator) {
  DemangledSymbol d = Must("_camlStdlib__List$map_15");
  EXPECT_EQ(d.scheme, DemangledScheme::kOcaml54);
  EXPECT_EQ(d.separator, "$");
  EXPECT_EQ(d.unit, "Stdlib__List");
  EXPECT_EQ(LocalName(d), "map");
  EXPECT_EQ(d.stamp, 15);
  std::optional<ManglingScheme> ms = FlatManglingScheme(d);
  ASSERT_TRUE(ms.has_value());
  EXPECT_EQ(ms->separator(), "$");

  DemangledSymbol op = Must("camlFoo$$$3e$$3e$$3d_12");
  EXPECT_EQ(op.unit, "Foo");
  EXPECT_EQ(LocalName(op), ">>=");
  DemangledSymbol quote = Must("camlX$$27y$f_270");
  EXPECT_EQ(quote.scheme, DemangledScheme::kOcaml54);
  EXPECT_EQ(RenderPlainString(quote), "X'y.f");
  DemangledSymbol path = Must("camlA$B$C$D$func_0");
  EXPECT_EQ(path.unit, "A$B$C$D");
  EXPECT_EQ(RenderPlainString(path), "A.B.C.D.func");
  // `$ad` could be a 4.13 escape (a byte 0xad), but that reading is a module
  // block whose unit ends in a stamp: the 5.4 reading comes first.
  DemangledSymbol add = Must("camlList$add_42");
  EXPECT_EQ(add.scheme, DemangledScheme::kOcaml54);
  EXPECT_EQ(LocalName(add), "add");
  DemangledSymbol add2 = Must("camlStdlib__List$add_42");
  EXPECT_EQ(add2.scheme, DemangledScheme::kOcaml54);
  EXPECT_EQ(add2.unit, "Stdlib__List");
  EXPECT_EQ(Must("camlFoo$12").category, SymbolCategory::kAnonymousConstant);
  EXPECT_EQ(Must("camlFoo$entry").marker, UnitMarker::kEntry);
  // A literal `$` passes through when it is the separator.
  EXPECT_EQ(LocalName(Must("camlFoo$a$b_1")), "a$b");
}

TEST(DemangleTest, Ocaml413ReadingWinsWhenValid) {
  DemangledSymbol d = Must("camlFoo__Bar__$e9t$e9_1");
  EXPECT_EQ(d.scheme, DemangledScheme::kOcaml413);
  EXPECT_EQ(d.unit, "Foo__Bar");
  EXPECT_EQ(LocalName(d), "\xe9t\xe9");
}

TEST(DemangleTest, ManglingSchemeAgrees) {
  for (const char* s : {"camlStdlib__List__map_123", "camlStdlib__List.map_123",
                        "camlStdlib__List$map_123"}) {
    DemangledSymbol d = Must(s);
    std::optional<ManglingScheme> ms = FlatManglingScheme(d);
    ASSERT_TRUE(ms.has_value());
    EXPECT_EQ(ms->Mangle(d.unit, "map_123"), s);
  }
}

TEST(DemangleTest, OxCamlStructured) {
  struct Case {
    const char* sym;
    const char* unit;
    const char* plain;
  };
  // Examples from OxCaml's ocamlfilt test corpus (structured.reference).
  const Case cases[] = {
      {"_CamlU3FooM3BarF3baz", "Foo", "Foo.Bar.baz"},
      {"_CamlU6StdlibF3map", "Stdlib", "Stdlib.map"},
      {"_CamlU3FooO5MyObj", "Foo", "Foo.MyObj"},
      {"_CamlU3FooIU3BarF3qux", "Foo", "Foo.<specialization_of>.Bar.qux"},
      {"_CamlU3FooFu8A3e3e3d_", "Foo", "Foo.>>="},
      {"_CamlU3FooFu7D2a_let", "Foo", "Foo.let*"},
      {"_CamlU3FooFu14E27D27_funcsub", "Foo", "Foo.func'sub'"},
      {"_CamlU6StdlibLu18G2e_stdlibml_334_0", "Stdlib",
       "Stdlib.fn(stdlib.ml:334:0)"},
      {"_CamlU3FooS5_42_7", "Foo", "Foo.mod(:42:7)"},
      {"_CamlU3FooP5_10_5", "Foo", "Foo.partial(:10:5)"},
      {"_CamlU3FooFu5_0foo", "Foo", "Foo.0foo"},
      {"_CamlU4MainSu15E2e_testml_5_15_300", "Main", "Main.mod(test.ml:5:15)"},
      {"_CamlU12Stdlib__ListF6map_15_113_code", "Stdlib__List",
       "Stdlib.List.map_15"},
      {"_CamlU3FooF3barLu14D2e_fooml_3_15Lu14D2e_fooml_4_22F4fn_7", "Foo",
       "Foo.bar.fn(foo.ml:3:15).fn(foo.ml:4:22).fn_7"},
      {"__CamlU3FooM3BarF3baz", "Foo", "Foo.Bar.baz"},
  };
  for (const Case& c : cases) {
    DemangledSymbol d = Must(c.sym);
    EXPECT_EQ(d.scheme, DemangledScheme::kOxCamlStructured) << c.sym;
    EXPECT_EQ(d.unit, c.unit) << c.sym;
    EXPECT_EQ(RenderPlainString(d), c.plain) << c.sym;
  }
  DemangledSymbol s = Must("_CamlU4MainSu15E2e_testml_5_15_300");
  EXPECT_EQ(s.oxcaml_suffix, "_300");
  EXPECT_EQ(s.stamp, 300);
  EXPECT_TRUE(Must("__CamlU3FooM3BarF3baz").has_macos_prefix);
  EXPECT_EQ(Must("_CamlU3Foo").category, SymbolCategory::kModuleBlock);
}

TEST(DemangleTest, OxCamlRejects) {
  // From OxCaml's ocamlfilt reject corpus.
  for (const char* s :
       {"_Caml", "_CamlU3FooXXX", "_CamlU99Foo", "_CamlUFoo",
        "_CamlU3FooFu6G1234_funcsub", "_CamlU3FooFu11G2g_funcsub",
        "_CamlU3FooFu11G2A_funcsub", "_CamlU3FooF0", "_CamlM3Foo",
        "_CamlU3FooF3a-b"}) {
    EXPECT_FALSE(Demangle(s)) << s;
  }
}

// Linux perf's demangler (tools/perf/util/demangle-ocaml.c) gets these
// wrong; camlsym does not.
TEST(DemangleTest, WherePerfIsWrong) {
  // perf keeps the stamp: "Stdlib.List.map_123".
  EXPECT_EQ(Plain("camlStdlib__List__map_123"), "Stdlib.List.map");
  // perf requires "caml" at offset 0, so the macOS "_" prefix defeats it and
  // the symbol is printed raw, "_camlStdlib__List__map_123".
  EXPECT_EQ(Plain("_camlStdlib__List__map_123"), "Stdlib.List.map");
  // perf turns every "__" into ".", also a genuine "__" of a 5.1 name:
  // "Stdlib.List.map_123" and "A.b.c_5".
  EXPECT_EQ(Plain("camlA.b__c_5"), "A.b__c");
  // perf decodes 5.4's "$$xx" as "$" then an escape: "Foo$>>=_12" style.
  EXPECT_EQ(Plain("camlFoo$$$3e$$3e$$3d_12"), "Foo.>>=");
  // perf reads sym[i + 1] and sym[i + 2] after a trailing "$" without a
  // bound; camlsym rejects the name and reads nothing past the end.
  EXPECT_FALSE(Demangle(std::string_view("camlFoo__x$", 11)));
}

TEST(DemangleTest, RenderPlainTruncatesLikeSnprintf) {
  DemangledSymbol d = Must("camlStdlib__List__map_123");
  char buf[8];
  std::size_t n = RenderPlain(d, buf, sizeof buf);
  EXPECT_EQ(n, std::string_view("Stdlib.List.map").size());
  EXPECT_EQ(std::string_view(buf, sizeof buf), "Stdlib.L");
  char big[64];
  n = RenderPlain(d, big, sizeof big);
  EXPECT_EQ(std::string_view(big, n), "Stdlib.List.map");
  EXPECT_EQ(RenderPlain(d, nullptr, 0), n);
}

TEST(DemangleTest, UnitComponentOutOfRange) {
  DemangledSymbol d = Must("camlStdlib__List__map_123");
  EXPECT_EQ(UnitComponent(d, 0), "Stdlib");
  EXPECT_EQ(UnitComponent(d, 1), "List");
  EXPECT_EQ(UnitComponent(d, 2), "");
  EXPECT_FALSE(UnitOf(Must("caml_curry2")).ok());
  EXPECT_EQ(UnitOf(Must("caml_curry2")).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(DemangleTest, NamesTables) {
  EXPECT_EQ(SchemeName(DemangledScheme::kOcaml413), "ocaml-4.13");
  EXPECT_EQ(SchemeName(DemangledScheme::kOcaml51), "ocaml-5.1");
  EXPECT_EQ(SchemeName(DemangledScheme::kOcaml54), "ocaml-5.4");
  EXPECT_EQ(SchemeName(DemangledScheme::kOxCamlStructured),
            "oxcaml-structured");
  EXPECT_EQ(CategoryName(SymbolCategory::kAnonymousConstant),
            "anonymous_constant");
  EXPECT_EQ(UnitMarkerName(*Must("camlFoo__gc_roots").marker), "gc_roots");
  EXPECT_FALSE(Must("camlStdlib__List__map_123").marker.has_value());
}

constexpr std::string_view kRunBytes =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.$";

// The filter (demangle_text.h) on \p v alone, a run of `[A-Za-z0-9_.$]`
// whose Demangle() is \p d: the rendering of \p d, else of \p v without
// its trailing dots (kept after it) if that is a symbol, else \p v. The
// filter reads the common names itself, on bit masks.
void ExpectFilterRendering(std::string_view v,
                           const std::optional<DemangledSymbol>& d,
                           StampRendering stamps) {
  std::string want(v);
  const std::size_t last = v.find_last_not_of('.');
  if (d) {
    want = RenderPlainString(*d, stamps);
  } else if (last != std::string_view::npos && last + 1 < v.size()) {
    if (std::optional<DemangledSymbol> p = Demangle(v.substr(0, last + 1))) {
      want = RenderPlainString(*p, stamps) + std::string(v.substr(last + 1));
    }
  }
  std::string scratch;
  TextBuffer out;
  AppendDemangledText(v, stamps, scratch, out);
  EXPECT_EQ(out.view(), want) << v;
}

// Every prefix of real symbols, and random bytes, copied into exactly-sized
// heap buffers so that ASan catches any read past the end. Whatever is
// accepted must round-trip and render.
void Exercise(std::string_view s) {
  std::vector<char> exact(s.begin(), s.end());
  std::string_view v(exact.data(), exact.size());
  std::optional<DemangledSymbol> d = Demangle(v);
  if (v.find_first_not_of(kRunBytes) == std::string_view::npos) {
    ExpectFilterRendering(v, d, StampRendering::kDrop);
    ExpectFilterRendering(v, d, StampRendering::kKeep);
  }
  if (!d) return;
  EXPECT_EQ(Mangle(*d), v);
  std::string out;
  AppendPlain(*d, out);
  AppendLocalName(*d, out);
  char buf[16];
  RenderPlain(*d, buf, sizeof buf);
  (void)UnitComponents(*d);
  (void)UnitOf(*d);
}

TEST(DemangleFuzzTest, PrefixesOfRealSymbols) {
  const char* real[] = {
      "camlStdlib__List__map_123",
      "_camlStdlib__Bytes__$2b$2b_127",
      "camlStdlib.anon_fn$5bstdlib.ml$3a334$2c0$2d$2d54$5d_1453",
      "camlFoo$$$3e$$3e$$3d_12",
      "camlX$27y__f_81",
      "camlUpper__Case___entry",
      "camlA_b__c__f_83",
      "caml_curry3_1_app",
      "caml_startup__code_begin",
      "caml_exn_Not_found",
      "_CamlU3FooF3barLu14D2e_fooml_3_15Lu14D2e_fooml_4_22F4fn_7",
      "__CamlU3FooFu14E27D27_funcsub",
      "camlLexer____ocaml_lex_token_rec_1134",
  };
  for (std::string_view s : real) {
    for (std::size_t n = 0; n <= s.size(); ++n) Exercise(s.substr(0, n));
  }
}

TEST(DemangleFuzzTest, RandomBytes) {
  std::mt19937 rng(20240601);
  const std::string alphabet = "caml_C$.U0123456789abefxyzAZ";
  const char* seeds[] = {"caml", "_caml", "_Caml", "__Caml", "caml_", ""};
  int accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string s = seeds[rng() % 6];
    std::size_t len = rng() % 24;
    for (std::size_t k = 0; k < len; ++k) {
      s.push_back(rng() % 4 == 0 ? static_cast<char>(rng() % 256)
                                 : alphabet[rng() % alphabet.size()]);
    }
    std::optional<DemangledSymbol> d = Demangle(s);
    accepted += d.has_value();
    Exercise(s);
    // What the filter's prefilter refuses, Demangle() refuses.
    if (s.rfind("caml_", 0) == 0 && !MayBeCamlUnderscoreSymbol(s.substr(5))) {
      EXPECT_FALSE(d.has_value()) << s;
    }
    // On runs of `[A-Za-z0-9_.$]`, the unchecked entry agrees.
    if (s.find_first_not_of(kRunBytes) == std::string::npos) {
      DemangledSymbol u;
      bool ok = DemangleUncheckedBytes(s, u);
      EXPECT_EQ(ok, d.has_value()) << s;
      if (ok && d) EXPECT_EQ(Mangle(u), Mangle(*d)) << s;
      if (ok && d) EXPECT_EQ(RenderPlainString(u), RenderPlainString(*d)) << s;
    }
  }
  EXPECT_GT(accepted, 0);
}

}  // namespace
}  // namespace camlsym
