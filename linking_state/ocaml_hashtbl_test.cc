// Checks OcamlStringHash and OcamlStringHashtbl against the real OCaml
// runtime: a program compiled here with ocamlopt prints Hashtbl.hash of
// strings and the fold order of a String.Tbl built as asmlink.ml builds its
// globals map (of_seq, then remove), and camlsym must agree exactly.
#include "camlsym/linking_state/ocaml_hashtbl.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>

#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

// Standard output of \p cmd (tests/oracle_util.h runs it).
std::string RunCommand(const std::string& cmd) {
  return ::camlsym::testing::RunShell(cmd).out;
}

// Module-like names of varied lengths, fixed seed.
std::vector<std::string> Names(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  static constexpr char kChars[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_";
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    std::string s(1, kChars[rng() % 26]);
    size_t len = rng() % 20;
    for (size_t j = 0; j < len; ++j) s += kChars[rng() % 63];
    out.push_back(s + fmt::format("{}", i));  // Unique.
  }
  return out;
}

TEST(OcamlHashtblTest, MatchesTheOcamlRuntime) {
  const std::string dir = ::camlsym::testing::MakeTempDir("ocaml_hashtbl_test");
  // Input file: one case per line: "<n_removed> <name> <name> ...".
  std::vector<std::vector<std::string>> cases;
  std::vector<size_t> removed;
  uint32_t seed = 1;
  for (size_t n : {0, 1, 5, 16, 33, 40, 100, 257, 600}) {
    cases.push_back(Names(n, seed++));
    removed.push_back(n / 3);
  }
  {
    std::ofstream in(dir + "/cases.txt");
    for (size_t c = 0; c < cases.size(); ++c) {
      in << removed[c];
      for (const std::string& s : cases[c]) in << ' ' << s;
      in << '\n';
    }
  }
  {
    std::ofstream ml(dir + "/tbl.ml");
    ml << R"(module Tbl = Hashtbl.Make (struct
  include String
  let hash = Hashtbl.hash
end)
let () =
  let ic = open_in Sys.argv.(1) in
  (try
     while true do
       let line = input_line ic in
       match String.split_on_char ' ' line with
       | [] -> ()
       | k :: names ->
           let k = int_of_string k in
           List.iter (fun s -> Printf.printf "H %s %d\n" s (Hashtbl.hash s))
             names;
           let tbl = Tbl.of_seq (List.to_seq (List.map (fun s -> (s, ())) names)) in
           List.iteri (fun i s -> if i < k then Tbl.remove tbl s) names;
           let order = Tbl.fold (fun s () acc -> s :: acc) tbl [] in
           print_string "O";
           List.iter (fun s -> print_string (" " ^ s)) (List.rev order);
           print_newline ()
     done
   with End_of_file -> ())
)";
  }
  ASSERT_EQ(std::system(fmt::format("cd {} && ocamlopt -o tbl.exe tbl.ml "
                                    "2>&1",
                                    dir)
                            .c_str()),
            0);
  std::istringstream out(
      RunCommand(fmt::format("{0}/tbl.exe {0}/cases.txt", dir)));
  std::string line;
  size_t hashes = 0;
  size_t c = 0;
  while (std::getline(out, line)) {
    std::istringstream ls(line);
    std::string tag;
    ls >> tag;
    if (tag == "H") {
      std::string s;
      uint32_t h;
      ls >> s >> h;
      EXPECT_EQ(OcamlStringHash(s), h) << s;
      ++hashes;
    } else {
      ASSERT_LT(c, cases.size());
      std::vector<std::string> expected;
      std::string s;
      while (ls >> s) expected.push_back(s);
      OcamlStringHashtbl<int> tbl;
      for (const std::string& name : cases[c]) tbl.Replace(name, 0);
      for (size_t i = 0; i < removed[c]; ++i) tbl.Remove(cases[c][i]);
      std::vector<std::string> got;
      for (const auto* b : tbl.FoldOrder()) got.push_back(b->key);
      EXPECT_EQ(got, expected)
          << "case " << c << " with " << cases[c].size() << " names";
      ++c;
    }
  }
  EXPECT_EQ(c, cases.size());
  EXPECT_GT(hashes, 1000u);
}

// linkdeps.ml (5.3) keys a Hashtbl by a {compunit; filename} record: its
// hash, checked with Debian's OCaml 5.3 runtime.
TEST(OcamlHashtblTest, StringPairHashMatchesOcaml53) {
  std::string why;
  const std::optional<::camlsym::testing::Ocaml5Tree> tree =
      ::camlsym::testing::FindOcaml5Tree("trixie", "amd64", why);
  ASSERT_TRUE(tree.has_value()) << why;
  const std::string dir =
      ::camlsym::testing::MakeTempDir("ocaml_hashtbl_pair_test");
  const std::vector<std::string> names = Names(200, 77);
  {
    std::ofstream in(dir + "/names.txt");
    for (const std::string& s : names) in << s << '\n';
  }
  {
    std::ofstream ml(dir + "/pair.ml");
    ml << R"(type r = { compunit : string; filename : string }
let () =
  let ic = open_in Sys.argv.(1) in
  let rec read acc = match input_line ic with
    | l -> read (l :: acc) | exception End_of_file -> List.rev acc in
  let names = Array.of_list (read []) in
  Array.iteri (fun i a ->
    let b = names.((i * 7 + 3) mod Array.length names) ^ ".cmx" in
    Printf.printf "%s %s %d\n" a b (Hashtbl.hash { compunit = a; filename = b }))
    names
)";
  }
  ASSERT_EQ(std::system(fmt::format("cd {} && {} -o pair.exe pair.ml 2>&1", dir,
                                    tree->Tool("ocamlopt"))
                            .c_str()),
            0);
  std::istringstream out(
      RunCommand(fmt::format("{0}/pair.exe {0}/names.txt", dir)));
  std::string a, b;
  uint32_t h;
  size_t checked = 0;
  while (out >> a >> b >> h) {
    EXPECT_EQ(OcamlStringPairHash(a, b), h) << a << " " << b;
    ++checked;
  }
  EXPECT_EQ(checked, names.size()) << "OCaml " << tree->version;
}

TEST(OcamlHashtblTest, ReplaceKeepsOneBinding) {
  OcamlStringHashtbl<int> tbl;
  tbl.Replace("A", 1);
  tbl.Replace("A", 2);
  ASSERT_EQ(tbl.size(), 1u);
  EXPECT_EQ(tbl.FoldOrder()[0]->value, 2);
  tbl.Remove("B");
  EXPECT_EQ(tbl.size(), 1u);
  tbl.Remove("A");
  EXPECT_EQ(tbl.size(), 0u);
}

// FindMutable changes a value where Replace would put it: the same fold
// order as `replace tbl key v'` for every key, and null for an absent key.
TEST(OcamlHashtblTest, FindMutableChangesInPlaceLikeReplace) {
  OcamlStringHashtbl<int> in_place;
  OcamlStringHashtbl<int> replaced;
  for (int i = 0; i < 100; ++i) {
    const std::string key = fmt::format("U{:05}", i);
    in_place.Replace(key, i);
    replaced.Replace(key, i);
  }
  EXPECT_EQ(in_place.FindMutable("Absent"), nullptr);
  for (int i = 0; i < 100; i += 3) {
    const std::string key = fmt::format("U{:05}", i);
    int* v = in_place.FindMutable(key);
    ASSERT_NE(v, nullptr) << key;
    *v += 1000;
    replaced.Replace(key, i + 1000);
  }
  const auto a = in_place.FoldOrder();
  const auto b = replaced.FoldOrder();
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i]->key, b[i]->key) << i;
    EXPECT_EQ(a[i]->value, b[i]->value) << a[i]->key;
  }
}

}  // namespace
}  // namespace camlsym
