// Oracle test: OCaml's own Marshal.to_string against camlsym's writer and
// reader. The test compiles an OCaml program with /usr/bin/ocamlopt that
// marshals each case's OCaml expression and prints the bytes in hex; the same
// value built in C++ must write to the same bytes, and the bytes OCaml wrote
// must read back into the same graph (shapes, contents and sharing).

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "camlsym/formats/marshal_reader.h"
#include "camlsym/formats/marshal_value.h"
#include "camlsym/formats/marshal_writer.h"
#include "camlsym/formats/test_util.h"
#include "camlsym/tests/oracle_util.h"
#include "gtest/gtest.h"

namespace camlsym::formats {
namespace {

using ::camlsym::formats::testing::CompareGraphs;
using ::camlsym::formats::testing::FromHex;
using ::camlsym::formats::testing::ToHex;
using ::camlsym::testing::CommandResult;
using ::camlsym::testing::RunShell;

constexpr char kOcamlopt[] = "/usr/bin/ocamlopt";

struct Case {
  std::string name;
  std::string ocaml;  // An OCaml expression; see kPrelude for helpers.
  std::function<Value(MarshalGraph&)> build;
};

// Helpers of the generated program. `str n` is a fresh string of n bytes
// (fresh so that the compiler shares no constants behind our back).
constexpr char kPrelude[] = R"(
let id = Sys.opaque_identity
let str n = String.init n (fun i -> Char.chr (97 + (i * 7 + n) mod 26))
let block tag fields =
  let b = Obj.new_block tag (Array.length fields) in
  Array.iteri (Obj.set_field b) fields;
  b
let emit name v =
  let s = Marshal.to_string v [] in
  print_string name;
  print_char ' ';
  String.iter (fun c -> Printf.printf "%02x" (Char.code c)) s;
  print_newline ()
)";

// The C++ twin of `str n`.
std::string Str(int n) {
  std::string s(n, '\0');
  for (int i = 0; i < n; ++i) s[i] = static_cast<char>(97 + (i * 7 + n) % 26);
  return s;
}

std::vector<Case> Cases() {
  std::vector<Case> cases;
  const int64_t ints[] = {0,
                          1,
                          63,
                          64,
                          127,
                          128,
                          -1,
                          -64,
                          -65,
                          -128,
                          -129,
                          255,
                          256,
                          32767,
                          32768,
                          -32768,
                          -32769,
                          65535,
                          65536,
                          (int64_t{1} << 30) - 1,
                          int64_t{1} << 30,
                          -(int64_t{1} << 30),
                          -(int64_t{1} << 30) - 1,
                          int64_t{1} << 31,
                          -(int64_t{1} << 31),
                          int64_t{1} << 32,
                          123456789012345,
                          -123456789012345,
                          kMaxOCamlInt - 1};
  for (int64_t n : ints) {
    cases.push_back({absl::StrCat("int_", n), absl::StrCat("id (", n, ")"),
                     [n](MarshalGraph&) { return Value::Int(n); }});
  }
  cases.push_back({"max_int", "id max_int",
                   [](MarshalGraph&) { return Value::Int(kMaxOCamlInt); }});
  cases.push_back({"min_int", "id min_int",
                   [](MarshalGraph&) { return Value::Int(kMinOCamlInt); }});
  cases.push_back({"unit", "()", [](MarshalGraph&) { return Value::Unit(); }});
  cases.push_back(
      {"true", "id true", [](MarshalGraph&) { return Value::Int(1); }});
  for (int len : {0, 1, 31, 32, 33, 255, 256, 65535, 65536, 70000}) {
    cases.push_back({absl::StrCat("string_", len), absl::StrCat("str ", len),
                     [len](MarshalGraph& g) { return g.AddString(Str(len)); }});
  }
  cases.push_back({"string_binary", R"("\000\255ab\n")", [](MarshalGraph& g) {
                     return g.AddString(
                         std::string("\0\xff"
                                     "ab\n",
                                     5));
                   }});
  cases.push_back(
      {"list_ints", "[1; 2; 3]", [](MarshalGraph& g) {
         const Value e[] = {Value::Int(1), Value::Int(2), Value::Int(3)};
         return g.AddList(e);
       }});
  cases.push_back(
      {"list_strings", "[str 1; str 2; str 3]", [](MarshalGraph& g) {
         const Value e[] = {g.AddString(Str(1)), g.AddString(Str(2)),
                            g.AddString(Str(3))};
         return g.AddList(e);
       }});
  cases.push_back(
      {"list_long", "List.init 1000 (fun i -> i * 1000)", [](MarshalGraph& g) {
         std::vector<Value> e;
         for (int i = 0; i < 1000; ++i) e.push_back(Value::Int(i * 1000));
         return g.AddList(e);
       }});
  cases.push_back({"none", "id None",
                   [](MarshalGraph& g) { return g.AddOption(std::nullopt); }});
  cases.push_back({"some_int", "Some (id 0)",
                   [](MarshalGraph& g) { return g.AddOption(Value::Int(0)); }});
  cases.push_back({"some_string", "Some (str 3)", [](MarshalGraph& g) {
                     return g.AddOption(g.AddString(Str(3)));
                   }});
  cases.push_back({"some_none", "Some (id None)",
                   [](MarshalGraph& g) { return g.AddOption(Value::Int(0)); }});
  cases.push_back(
      {"nested", "Some (Some (id 1, str 2), [| id 3 |])", [](MarshalGraph& g) {
         const Value pair[] = {Value::Int(1), g.AddString(Str(2))};
         const Value inner = g.AddOption(g.AddBlock(0, pair));
         const Value arr[] = {Value::Int(3)};
         const Value outer[] = {inner, g.AddBlock(0, arr)};
         return g.AddOption(g.AddBlock(0, outer));
       }});
  cases.push_back({"deep_nesting",
                   "let rec nest n acc = if n = 0 then acc else nest (n - 1) "
                   "(Obj.repr (Some acc)) in nest 100000 (Obj.repr (id 7))",
                   [](MarshalGraph& g) {
                     Value v = Value::Int(7);
                     for (int i = 0; i < 100000; ++i) v = g.AddOption(v);
                     return v;
                   }});
  cases.push_back({"tags",
                   "Array.init 246 (fun t -> block t (Array.init (1 + t mod 9) "
                   "(fun i -> Obj.repr (id (t * 10 + i)))))",
                   [](MarshalGraph& g) {
                     std::vector<Value> blocks;
                     for (int t = 0; t < 246; ++t) {
                       std::vector<Value> fields;
                       for (int i = 0; i < 1 + t % 9; ++i) {
                         fields.push_back(Value::Int(t * 10 + i));
                       }
                       blocks.push_back(
                           g.AddBlock(static_cast<uint8_t>(t), fields));
                     }
                     return g.AddBlock(0, blocks);
                   }});
  cases.push_back({"atoms", "[| block 3 [||]; Obj.repr [||]; block 200 [||] |]",
                   [](MarshalGraph& g) {
                     const Value atoms[] = {g.AddBlock(3, {}),
                                            g.AddBlock(0, {}),
                                            g.AddBlock(200, {})};
                     return g.AddBlock(0, atoms);
                   }});
  cases.push_back({"big_block", "Array.make 70000 (id 5)", [](MarshalGraph& g) {
                     return g.AddBlock(
                         0, std::vector<Value>(70000, Value::Int(5)));
                   }});
  cases.push_back(
      {"shared_string", "let s = str 5 in (s, s, [s])", [](MarshalGraph& g) {
         const Value s = g.AddString(Str(5));
         const Value l[] = {s};
         const Value t[] = {s, s, g.AddList(l)};
         return g.AddBlock(0, t);
       }});
  cases.push_back({"shared_block", "let b = (id 1, str 2) in (b, [b; b])",
                   [](MarshalGraph& g) {
                     const Value p[] = {Value::Int(1), g.AddString(Str(2))};
                     const Value b = g.AddBlock(0, p);
                     const Value l[] = {b, b};
                     const Value t[] = {b, g.AddList(l)};
                     return g.AddBlock(0, t);
                   }});
  for (int n : {300, 40000}) {
    // 2n + 1 objects between the two occurrences of `s`: SHARED16, SHARED32.
    cases.push_back({absl::StrCat("shared_far_", n),
                     absl::StrCat("let s = str 3 in (s, List.init ", n,
                                  " (fun i -> str (i mod 5)), s)"),
                     [n](MarshalGraph& g) {
                       const Value s = g.AddString(Str(3));
                       std::vector<Value> e;
                       for (int i = 0; i < n; ++i)
                         e.push_back(g.AddString(Str(i % 5)));
                       const Value t[] = {s, g.AddList(e), s};
                       return g.AddBlock(0, t);
                     }});
  }
  // Like asmlink.ml's caml_globals_map: (name, crc option, crc option,
  // defines), the name shared with the first define.
  cases.push_back(
      {"globals_map",
       "let mk n = let n = str n in (n, Some (str 16), Some (str 16), [n]) in "
       "[(str 4, Some (str 16), None, []); mk 6; mk 7; mk 12]",
       [](MarshalGraph& g) {
         std::vector<Value> entries;
         {
           const Value e[] = {g.AddString(Str(4)),
                              g.AddOption(g.AddString(Str(16))), Value::Int(0),
                              Value::Int(0)};
           entries.push_back(g.AddBlock(0, e));
         }
         for (int n : {6, 7, 12}) {
           const Value name = g.AddString(Str(n));
           const Value defines[] = {name};
           const Value e[] = {name, g.AddOption(g.AddString(Str(16))),
                              g.AddOption(g.AddString(Str(16))),
                              g.AddList(defines)};
           entries.push_back(g.AddBlock(0, e));
         }
         return g.AddList(entries);
       }});
  cases.push_back({"record_mutable", "let r = { contents = str 3 } in (r, r)",
                   [](MarshalGraph& g) {
                     const Value f[] = {g.AddString(Str(3))};
                     const Value r = g.AddBlock(0, f);
                     const Value t[] = {r, r};
                     return g.AddBlock(0, t);
                   }});
  cases.push_back(
      {"float", "id 3.5", [](MarshalGraph& g) { return g.AddDouble(3.5); }});
  cases.push_back(
      {"float_array", "[| 1.0; -2.5; id 0.1 |]", [](MarshalGraph& g) {
         const double d[] = {1.0, -2.5, 0.1};
         return g.AddDoubleArray(d);
       }});
  cases.push_back(
      {"float_array_300", "Array.init 300 float_of_int", [](MarshalGraph& g) {
         std::vector<double> d;
         for (int i = 0; i < 300; ++i) d.push_back(i);
         return g.AddDoubleArray(d);
       }});
  cases.push_back({"int32", "(id 5l, id (-70000l))", [](MarshalGraph& g) {
                     const Value t[] = {g.AddInt32(5), g.AddInt32(-70000)};
                     return g.AddBlock(0, t);
                   }});
  cases.push_back(
      {"int64", "id (-5L)", [](MarshalGraph& g) { return g.AddInt64(-5); }});
  cases.push_back({"nativeint", "(id 5n, id 0x1_0000_0000n, id (-1n))",
                   [](MarshalGraph& g) {
                     const Value t[] = {g.AddNativeint(5),
                                        g.AddNativeint(int64_t{1} << 32),
                                        g.AddNativeint(-1)};
                     return g.AddBlock(0, t);
                   }});
  return cases;
}

class MarshalOracleTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const char* tmp = std::getenv("TEST_TMPDIR");
    const std::string dir =
        absl::StrCat(tmp != nullptr ? tmp : "/tmp", "/marshal_oracle");
    std::system(absl::StrCat("mkdir -p '", dir, "'").c_str());
    const std::string ml = dir + "/oracle.ml";
    {
      std::ofstream out(ml);
      out << kPrelude;
      for (const Case& c : Cases()) {
        out << "let () = emit \"" << c.name << "\" (Obj.repr (" << c.ocaml
            << "))\n";
      }
    }
    const CommandResult compile = RunShell(
        absl::StrCat(kOcamlopt, " -o '", dir, "/oracle' '", ml, "' 2>&1"));
    ASSERT_EQ(compile.exit_code, 0) << compile.out;
    const CommandResult run = RunShell(absl::StrCat("'", dir, "/oracle'"));
    ASSERT_EQ(run.exit_code, 0);
    const std::string& output = run.out;
    outputs_ = new std::map<std::string, std::string>;
    size_t start = 0;
    while (start < output.size()) {
      size_t end = output.find('\n', start);
      if (end == std::string::npos) end = output.size();
      const std::string line = output.substr(start, end - start);
      const size_t space = line.find(' ');
      if (space != std::string::npos) {
        (*outputs_)[line.substr(0, space)] = FromHex(line.substr(space + 1));
      }
      start = end + 1;
    }
  }
  static void TearDownTestSuite() { delete outputs_; }

  static std::map<std::string, std::string>* outputs_;
};

std::map<std::string, std::string>* MarshalOracleTest::outputs_ = nullptr;

TEST_F(MarshalOracleTest, WriterProducesOCamlsBytes) {
  ASSERT_NE(outputs_, nullptr);
  ASSERT_EQ(outputs_->size(), Cases().size());
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    auto it = outputs_->find(c.name);
    ASSERT_NE(it, outputs_->end()) << "no OCaml output for " << c.name;
    MarshalGraph g;
    const Value v = c.build(g);
    absl::StatusOr<std::string> bytes = WriteMarshal(g, v);
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    if (*bytes != it->second) {
      // Print the shorter hex prefix for diagnosis.
      EXPECT_EQ(ToHex(bytes->substr(0, 200)), ToHex(it->second.substr(0, 200)));
      EXPECT_EQ(bytes->size(), it->second.size());
      ADD_FAILURE() << "bytes differ for " << c.name;
    }
  }
}

TEST_F(MarshalOracleTest, ReaderReadsOCamlsBytesIntoTheSameGraph) {
  ASSERT_NE(outputs_, nullptr);
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    auto it = outputs_->find(c.name);
    ASSERT_NE(it, outputs_->end());
    absl::StatusOr<MarshalData> read = ReadMarshal(it->second);
    ASSERT_TRUE(read.ok()) << read.status();
    EXPECT_EQ(read->size_bytes, it->second.size());
    MarshalGraph expected;
    const Value v = c.build(expected);
    EXPECT_EQ(CompareGraphs(read->graph, read->root, expected, v), "");
    // Writing what was read gives OCaml's bytes back.
    absl::StatusOr<std::string> again = WriteMarshal(read->graph, read->root);
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_TRUE(*again == it->second);
  }
}

}  // namespace
}  // namespace camlsym::formats
