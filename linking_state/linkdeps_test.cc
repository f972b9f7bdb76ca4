// Linkdeps against the messages Debian's ocamlopt 5.3.0 printed for the same
// scans (a.ml: `let x = 1`, b.ml uses A, c.ml uses B; asmlink.ml adds files
// from the last to the first). tests/link_errors_test.cc runs the real
// compiler beside camlsym for these links.
#include "camlsym/linking_state/linkdeps.h"

#include "gtest/gtest.h"

namespace camlsym {
namespace {

TEST(LinkdepsTest, MissingImplementation) {
  // ocamlopt -o t b.cmx c.cmx
  Linkdeps l(LinkCompleteness::kComplete, NameQuoting::kQuoted);
  l.Add("c.cmx", "C", {"C"}, {"B"});
  EXPECT_TRUE(l.Required("B"));
  l.Add("b.cmx", "B", {"B"}, {"A"});
  EXPECT_FALSE(l.Required("B"));
  EXPECT_TRUE(l.Required("A"));
  const absl::Status s = l.Check();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "No implementation provided for the following modules:\n"
            "  \"A\" referenced from \"B\" (b.cmx)");
  // A plugin (~complete:false) may leave imports to the main program.
  Linkdeps plugin(LinkCompleteness::kIncomplete, NameQuoting::kQuoted);
  plugin.Add("b.cmx", "B", {"B"}, {"A"});
  EXPECT_TRUE(plugin.Check().ok());
}

TEST(LinkdepsTest, WrongLinkOrder) {
  // ocamlopt -o t b.cmx a.cmx c.cmx
  Linkdeps l(LinkCompleteness::kComplete, NameQuoting::kQuoted);
  l.Add("c.cmx", "C", {"C"}, {"B"});
  l.Add("a.cmx", "A", {"A"}, {});
  l.Add("b.cmx", "B", {"B"}, {"A"});
  EXPECT_EQ(l.Check().message(),
            "Wrong link order: \"B\" (b.cmx) depends on \"A\" (a.cmx)");
}

TEST(LinkdepsTest, DuplicatedImplementationsComeFirst) {
  // ocamlopt -o t a.cmx d/a.cmx b.cmx c.cmx
  Linkdeps l(LinkCompleteness::kComplete, NameQuoting::kQuoted);
  l.Add("c.cmx", "C", {"C"}, {"B"});
  l.Add("b.cmx", "B", {"B"}, {"A"});
  l.Add("d/a.cmx", "A", {"A"}, {});
  l.Add("a.cmx", "A", {"A"}, {});
  EXPECT_EQ(l.Check().message(),
            "Duplicated implementations:\n"
            "  Multiple definitions of module \"A\" in files \"a.cmx\", "
            "\"d/a.cmx\"");
  // ocamlopt -o t lib.cmxa a.cmx c.cmx, lib.cmxa holding A and B: B comes
  // before A's a.cmx (wrong order) and A is defined twice; duplicates win.
  Linkdeps lib(LinkCompleteness::kComplete, NameQuoting::kQuoted);
  lib.Add("c.cmx", "C", {"C"}, {"B"});
  lib.Add("a.cmx", "A", {"A"}, {});
  ASSERT_TRUE(lib.Required("B"));
  lib.Add("lib.cmxa", "B", {"B"}, {"A"});
  lib.Add("lib.cmxa", "A", {"A"}, {});
  EXPECT_EQ(lib.Check().message(),
            "Duplicated implementations:\n"
            "  Multiple definitions of module \"A\" in files \"lib.cmxa\", "
            "\"a.cmx\"");
}

TEST(LinkdepsTest, ReferencesAreSortedAndAGoodLinkPasses) {
  Linkdeps l(LinkCompleteness::kComplete, NameQuoting::kQuoted);
  l.Add("z.cmx", "Z", {"Z"}, {"M"});
  l.Add("c.cmx", "C", {"C"}, {"M"});
  EXPECT_EQ(l.Check().message(),
            "No implementation provided for the following modules:\n"
            "  \"M\" referenced from \"C\" (c.cmx), \"Z\" (z.cmx)");
  l.Add("m.cmx", "M", {"M"}, {});
  EXPECT_TRUE(l.Check().ok());
}

TEST(LinkdepsTest, Ocaml54PrintsNamesBare) {
  // ocamlopt 5.4.1 -o t b.cmx a.cmx c.cmx
  Linkdeps l(LinkCompleteness::kComplete, NameQuoting::kBare);
  l.Add("c.cmx", "C", {"C"}, {"B"});
  l.Add("a.cmx", "A", {"A"}, {});
  l.Add("b.cmx", "B", {"B"}, {"A"});
  EXPECT_EQ(l.Check().message(),
            "Wrong link order: B (b.cmx) depends on A (a.cmx)");
}

}  // namespace
}  // namespace camlsym
