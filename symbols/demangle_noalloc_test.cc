// Proves that Demangle(), RenderPlain() and, once its buffers have grown,
// AppendDemangledText() do not touch the heap: this binary counts calls of
// the global operator new (tests/allocation_counter.h).
#include <string>
#include <string_view>

#include "camlsym/symbols/demangle.h"
#include "camlsym/symbols/demangle_text.h"
#include "camlsym/tests/allocation_counter.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

constexpr std::string_view kSymbols[] = {
    "camlStdlib__List__map_123",
    "_camlStdlib__Bytes__$2b$2b_127",
    "camlStdlib__Hashtbl__Make_951",
    "camlStdlib__List__code_begin",
    "camlStdlib__Pervasives__1",
    "camlStdlib__List",
    "camlStdlib.anon_fn$5bstdlib.ml$3a334$2c0$2d$2d54$5d_1453",
    "camlFoo$$$3e$$3e$$3d_12",
    "camlStdlib__List$add_42",
    "caml_curry3_1_app",
    "caml_exn_Not_found",
    "caml_startup__code_begin",
    "caml_program",
    "caml_alloc",
    "_CamlU6StdlibLu18G2e_stdlibml_334_0",
    "_CamlU3FooFu14E27D27_funcsub",
    "not_ocaml",
};

TEST(DemangleNoAllocTest, CounterWorks) {
  long before = testing::AllocationCount();
  std::string* s = new std::string(100, 'x');
  delete s;
  EXPECT_GT(testing::AllocationCount(), before);
}

TEST(DemangleNoAllocTest, DemangleAndRenderingsDoNotAllocate) {
  char buf[256];
  std::string reused;
  reused.reserve(256);
  std::string scratch;
  scratch.reserve(256);
  TextBuffer text;
  text.Reserve(256);
  long before = testing::AllocationCount();
  std::size_t total = 0;
  for (int round = 0; round < 100; ++round) {
    for (std::string_view s : kSymbols) {
      std::optional<DemangledSymbol> d = Demangle(s);
      if (!d) continue;
      total += RenderPlain(*d, buf, sizeof buf);
      reused.clear();
      AppendPlain(*d, reused);
      reused.clear();
      AppendLocalName(*d, reused);
      total += UnitComponent(*d, 0).size();
      reused.clear();
      AppendUnitName(*d, reused);
      text.clear();
      AppendDemangledText(s, StampRendering::kKeep, scratch, text);
      total += text.size();
      DemangledReadings all;
      total += DemangleAll(s, all);
    }
  }
  long after = testing::AllocationCount();
  EXPECT_EQ(after - before, 0);
  EXPECT_GT(total, 0u);
}

}  // namespace
}  // namespace camlsym
