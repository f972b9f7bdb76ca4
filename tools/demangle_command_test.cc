#include "camlsym/tools/demangle_command.h"

#include <cstdio>
#include <string>
#include <vector>

#include "camlsym/tools/json.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

struct Result {
  int status;
  std::string out;
  std::string err;
};

std::string ReadAll(std::FILE* f) {
  std::rewind(f);
  std::string s;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

// Runs RunDemangle over temporary files standing for stdin/stdout/stderr.
Result RunVerb(const std::vector<std::string>& args, const std::string& input) {
  std::FILE* in = std::tmpfile();
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  std::fwrite(input.data(), 1, input.size(), in);
  std::rewind(in);
  Result r;
  r.status = RunDemangle(args, in, out, err);
  r.out = ReadAll(out);
  r.err = ReadAll(err);
  std::fclose(in);
  std::fclose(out);
  std::fclose(err);
  return r;
}

TEST(DemangleCommandTest, PlainArguments) {
  Result r = RunVerb({"camlStdlib__List__map_123", "_camlFoo$$$3e$$3e$$3d_12",
                      "caml_alloc", "main"},
                     "");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "Stdlib.List.map\nFoo.>>=\ncaml_alloc\nmain\n");
  EXPECT_EQ(r.err, "");
}

TEST(DemangleCommandTest, FiltersStdinPassingOtherBytesThrough) {
  std::string input =
      "0000000000000000 T camlStdlib__List__map_123\n"
      "  in camlStdlib__Hashtbl__Make_951, calls caml_curry3 and caml_alloc.\n"
      "at camlFoo__bar_12. end\n"
      "\xff\x01 binary\tcamlStdlib__12\x7f\n"
      "no newline camlStdlib.anon_fn$5bstdlib.ml$3a334$2c0$2d$2d54$5d_1453";
  Result r = RunVerb({}, input);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            "0000000000000000 T Stdlib.List.map\n"
            "  in Stdlib.Hashtbl.Make, calls caml_curry3 and caml_alloc.\n"
            "at Foo.bar. end\n"
            "\xff\x01 binary\tStdlib.<const_12>\x7f\n"
            "no newline Stdlib.anon_fn[stdlib.ml:334,0--54]");
}

TEST(DemangleCommandTest, FilterKeepsNulBytes) {
  std::string input("a\0camlFoo__x_1\0b\n", 17);
  Result r = RunVerb({}, input);
  EXPECT_EQ(r.out, std::string("a\0Foo.x\0b\n", 10));
}

TEST(DemangleCommandTest, JsonArguments) {
  Result r = RunVerb({"--json", "camlStdlib__List__map_123", "camlStdlib__List",
                      "caml_exn_Not_found", "not_a_symbol"},
                     "");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            "{\"symbol\": \"camlStdlib__List__map_123\", \"scheme\": "
            "\"ocaml-4.13\", \"unit\": \"Stdlib__List\", \"name\": \"map\", "
            "\"stamp\": 123, \"category\": \"function_or_value\"}\n"
            "{\"symbol\": \"camlStdlib__List\", \"scheme\": \"ocaml-4.13\", "
            "\"unit\": \"Stdlib__List\", \"name\": \"\", \"stamp\": null, "
            "\"category\": \"module_block\"}\n"
            "{\"symbol\": \"caml_exn_Not_found\", \"scheme\": \"ocaml-4.13\", "
            "\"unit\": \"\", \"name\": \"Not_found\", \"stamp\": null, "
            "\"category\": \"predefined_exception\"}\n");
}

TEST(DemangleCommandTest, JsonFromStdin) {
  Result r = RunVerb({"--json"},
                     "x camlStdlib.List.code_begin y _camlA$b_1\nplain text\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out,
            "{\"symbol\": \"camlStdlib.List.code_begin\", \"scheme\": "
            "\"ocaml-5.1\", \"unit\": \"Stdlib.List\", \"name\": "
            "\"code_begin\", \"stamp\": null, \"category\": \"unit_marker\"}\n"
            "{\"symbol\": \"_camlA$b_1\", \"scheme\": \"ocaml-5.4\", "
            "\"unit\": \"A\", \"name\": \"b\", \"stamp\": 1, \"category\": "
            "\"function_or_value\"}\n");
}

TEST(DemangleCommandTest, JsonEscapesAnyBytes) {
  // `$22` is `"`, `$5c` is `\`, `$0a` a newline, `$e9` a lone Latin-1 byte.
  Result r = RunVerb({"--json", "camlFoo__a$22$5c$0a$e9_7"}, "");
  EXPECT_NE(r.out.find("\"name\": \"a\\\"\\\\\\n\\u00e9\""), std::string::npos)
      << r.out;
  std::string s;
  AppendJsonString("\xc3\xa9\x01\x7f\xed\xa0\x80", s);  // é, controls, UTF-16
  EXPECT_EQ(s, "\"\xc3\xa9\\u0001\\u007f\\u00ed\\u00a0\\u0080\"");
}

TEST(DemangleCommandTest, UnknownOptionExits2) {
  Result r = RunVerb({"--bogus", "camlFoo"}, "");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("unknown option '--bogus'"), std::string::npos);
  EXPECT_NE(r.err.find("usage: camlsym demangle"), std::string::npos);
}

TEST(DemangleCommandTest, DoubleDashEndsOptions) {
  Result r = RunVerb({"--", "--json"}, "");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "--json\n");
}

}  // namespace
}  // namespace camlsym
