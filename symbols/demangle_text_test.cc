#include "camlsym/symbols/demangle_text.h"

#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "camlsym/symbols/demangle.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

std::string Filter(std::string_view text,
                   StampRendering stamps = StampRendering::kDrop,
                   std::optional<TextKernel> kernel = std::nullopt) {
  // Exactly sized, so that ASan sees any read past the end.
  std::vector<char> exact(text.begin(), text.end());
  std::string scratch;
  TextBuffer out;
  const std::string_view exact_text(exact.data(), exact.size());
  if (kernel) {
    AppendDemangledTextWith(*kernel, exact_text, stamps, scratch, out);
  } else {
    AppendDemangledText(exact_text, stamps, scratch, out);
  }
  return std::string(out.view());
}

// The kernels this build has and this CPU runs: both are held to the same
// reference.
std::vector<TextKernel> RunnableKernels() {
  std::vector<TextKernel> kernels = {TextKernel::kBaseline};
  if (TextKernelRuns(TextKernel::kAvx2)) kernels.push_back(TextKernel::kAvx2);
  return kernels;
}

bool IsRunByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '$';
}

// The rule of demangle_text.h, one run at a time with Demangle(): the
// reference the filter's scan and its rendering of the common names are
// held to.
std::string Reference(std::string_view text, StampRendering stamps) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (!IsRunByte(text[i])) {
      out.push_back(text[i++]);
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && IsRunByte(text[j])) ++j;
    std::string_view run = text.substr(i, j - i);
    const std::size_t last = run.find_last_not_of('.');
    if (std::optional<DemangledSymbol> d = Demangle(run)) {
      out += RenderPlainString(*d, stamps);
    } else if (std::optional<DemangledSymbol> p =
                   last == std::string_view::npos
                       ? std::nullopt
                       : Demangle(run.substr(0, last + 1))) {
      out += RenderPlainString(*p, stamps);
      out += run.substr(last + 1);
    } else {
      out += run;
    }
    i = j;
  }
  return out;
}

TEST(DemangleTextTest, NmAndPerfLines) {
  EXPECT_EQ(Filter("0000000000000010 T camlStdlib__List__map_289\n"
                   "                 U caml_alloc\n"
                   "0000000000000000 D camlStdlib__List\n"
                   "0000000000000000 T camlStdlib__List.map_289\n"),
            "0000000000000010 T Stdlib.List.map\n"
            "                 U caml_alloc\n"
            "0000000000000000 D Stdlib.List\n"
            "0000000000000000 T Stdlib.List.map\n");
  EXPECT_EQ(Filter("  prog 123 [001] 1.5: 1 cpu-clock: 4005d0 "
                   "camlFoo__code_begin+0x10 (/tmp/prog)\n"),
            "  prog 123 [001] 1.5: 1 cpu-clock: 4005d0 "
            "Foo.<code_begin>+0x10 (/tmp/prog)\n");
  EXPECT_EQ(Filter("camlFoo__12 camlFoo__f_1_closure camlFoo__x_07"),
            "Foo.<const_12> Foo.f_1_closure Foo.x_07");
  EXPECT_EQ(Filter("camlStdlib__List__map_289", StampRendering::kKeep),
            "Stdlib.List.map_289");
}

TEST(DemangleTextTest, RunsStartWhereSymbolsCan) {
  // Inside a longer run, `caml` starts nothing.
  EXPECT_EQ(Filter("xcamlFoo__f_1 _xcamlFoo__f_1 9camlFoo__f_1"),
            "xcamlFoo__f_1 _xcamlFoo__f_1 9camlFoo__f_1");
  // The macOS `_` and OxCaml's `_Caml`, `__Caml`.
  EXPECT_EQ(Filter("_camlFoo__f_1 _CamlU3FooF3bar __CamlU3FooF3bar"),
            Reference("_camlFoo__f_1 _CamlU3FooF3bar __CamlU3FooF3bar",
                      StampRendering::kDrop));
  EXPECT_EQ(Filter("_camlFoo__f_1"), "Foo.f");
  // Runs at the very start and end, and one cut by a NUL byte.
  EXPECT_EQ(Filter(std::string_view("camlFoo__f_1\0camlBar", 20)),
            std::string_view("Foo.f\0Bar", 9));
  // The end of a sentence.
  EXPECT_EQ(Filter("see camlFoo__f_1. and camlFoo.f_1..."),
            "see Foo.f. and Foo.f...");
  // Names the scan finds but that are no OCaml symbol.
  EXPECT_EQ(Filter("caml_startup caml caml_ camlfoo camlFoo__ aml ml"),
            "caml_startup caml caml_ camlfoo camlFoo__ aml ml");
}

TEST(DemangleTextTest, RareNamesGoThroughDemangle) {
  for (std::string_view s : {
           "camlX$27y__f_81",
           "camlStdlib.anon_fn$5bstdlib.ml$3a334$2c0$2d$2d54$5d_1453",
           "camlFoo$$$3e$$3e$$3d_12",
           "camlUpper__Case___entry",
           "camlA_b__c__f_83",
           "caml_curry3_1_app",
           "caml_exn_Not_found",
           "caml_startup__code_begin",
           "caml_system.frametable",
           // Longer than the 63 bytes of body the fast rendering reads.
           "camlAbcdefghijklmnopqrstuvwxyz__Abcdefghijklmnopqrstuvwxyz__"
           "a_very_long_function_name_1234",
       }) {
    std::optional<DemangledSymbol> d = Demangle(s);
    ASSERT_TRUE(d.has_value()) << s;
    EXPECT_EQ(Filter(s), RenderPlainString(*d)) << s;
    EXPECT_EQ(Filter(std::string(s) + "\n"), RenderPlainString(*d) + "\n");
  }
}

TEST(DemangleTextTest, RandomTextAgreesWithDemangle) {
  ::testing::Test::RecordProperty(
      "kernels", RunnableKernels().size() == 2 ? "baseline avx2" : "baseline");
  std::mt19937 rng(20261130);
  const char* pieces[] = {
      "camlStdlib__List__map_289",
      "camlStdlib__List.map_289",
      "camlA__B__c_1",
      "camlA.B__C.d__e_12_closure",
      "camlFoo__entry",
      "camlFoo__gc_roots",
      "camlFoo__123",
      "camlFoo",
      "camlFoo__Make_9",
      "caml_alloc",
      "caml_apply3",
      "_camlFoo__x_1",
      "camlX$27y__f_81",
      "camlFoo__Bar__x__y_0",
      "camlFoo___x_1",
      "camlFoo.",
      "caml",
      "aml",
      " ",
      "\n",
      ".",
      "_",
      "x",
      "0000000000000010 T ",
      "\t",
      "(",
      "\xff",
      "$",
      "_C",
      "C",
      "camlA__B__C",
      "camlA__b__C_1",
      "camlA.B.c_1",
      "camlA..b_1",
      "camlA__B___c_1",
      "camlA__1__b_2",
      "camlStdlib__Hashtbl__Make__find_opt_1234",
      "camlStdlib__Hashtbl.Make.find_opt_1234_closure",
      "camlCamlinternalFormat__make_printf__inner_1_2",
      "camlVery_long_unit_name__With_many__Components__and_a_value_12345",
      "caml_curry3_1_app",
      "caml_tuplify2",
      "caml_send4",
      "caml_program",
      "caml_globals_map",
      "caml_system__code_end",
      "caml_startup.code_begin",
      "caml_exn_Not_found",
      "caml_exn_Assert_failure.",
      "caml_exn_Foo",
      "_caml_curry2",
      "_caml_exn_Not_found",
  };
  // Short texts end near most symbols; long ones (up to about 600 bytes)
  // leave room after them, where the copies take wider moves.
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int n = static_cast<int>(rng() % (i % 2 == 0 ? 12 : 40));
    for (int k = 0; k < n; ++k) text += pieces[rng() % std::size(pieces)];
    for (StampRendering stamps :
         {StampRendering::kDrop, StampRendering::kKeep}) {
      const std::string want = Reference(text, stamps);
      for (TextKernel kernel : RunnableKernels()) {
        ASSERT_EQ(Filter(text, stamps, kernel), want)
            << "kernel " << static_cast<int>(kernel) << ": " << text;
      }
    }
  }
}

TEST(DemangleTextTest, BufferGrowsAndKeepsWhatItHolds) {
  TextBuffer out;
  std::string want;
  std::string scratch;
  for (int i = 0; i < 5000; ++i) {
    AppendDemangledText("camlStdlib__List__map_289 ", StampRendering::kDrop,
                        scratch, out);
    want += "Stdlib.List.map ";
    out.Append('|');
    want += '|';
  }
  EXPECT_EQ(out.view(), want);
  out.clear();
  EXPECT_EQ(out.size(), 0u);
  out.Append("abc");
  EXPECT_EQ(out.view(), "abc");
}

}  // namespace
}  // namespace camlsym
