// Oracle test for camlsym's x86-64 startup file (emitters/startup.h): small
// multi-module OCaml programs are compiled and linked by the real ocamlopt
// 4.13.1 (`-dstartup -S -verbose`), then relinked with camlsym's startup
// file in place of ocamlopt's. Both executables must behave identically
// (stdout, stderr, exit status), also with OCAMLRUNPARAM=s=256 so that
// nearly every allocation goes through caml_call_gc and the frame
// descriptors are exercised; the two startup objects must have the same
// global symbols (`nm -g`).
//
// The StartupSpec is read off the reference startup file (units from
// caml_program's calls, generic functions from their `.globl`, the globals
// map bytes from caml_globals_map).
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "camlsym/emitters/startup.h"
#include "camlsym/target_system/target_system.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Runs \p cmd with sh in \p dir, capturing its output.
RunResult Shell(const std::string& dir, const std::string& cmd) {
  const std::string out = dir + "/.run.out", err = dir + "/.run.err";
  std::string full =
      fmt::format("cd '{}' && ( {} ) >'{}' 2>'{}'", dir, cmd, out, err);
  int status = std::system(full.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 1000 + status;
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  return r;
}

// Decodes the contents of a `.ascii "..."` operand (emitaux.ml escapes).
std::string DecodeAscii(std::string_view lit) {
  std::string out;
  for (size_t i = 0; i < lit.size(); ++i) {
    if (lit[i] != '\\') {
      out += lit[i];
      continue;
    }
    ++i;
    int v = 0, n = 0;
    while (n < 3 && i < lit.size() && lit[i] >= '0' && lit[i] <= '7') {
      v = v * 8 + (lit[i] - '0');
      ++i;
      ++n;
    }
    if (n == 0) {
      out += lit[i];
    } else {
      out += static_cast<char>(v);
      --i;
    }
  }
  return out;
}

// The module whose symbols start with `caml<stem>`. The reference file
// does not say where a pack prefix ends and a name with `__` begins, so each
// `__` is taken as a pack separator: the symbols, all this test compares,
// come out the same either way.
LinkedModule ModuleOfStem(std::string stem) {
  for (size_t p; (p = stem.find("__")) != std::string::npos;) {
    stem.replace(p, 2, ".");
  }
  CompilationUnit unit = CompilationUnit::Parse(stem).value();
  return LinkedModule{unit, ObjectFile::OtherUnit(unit)};
}

// The facts of a reference startup file that a StartupSpec needs.
StartupSpec SpecFromReference(const std::string& asm_text) {
  StartupSpec spec;
  std::istringstream in(asm_text);
  std::string line;
  static const std::regex kEntry(R"(^\tcall\tcaml(.*)__entry@PLT$)");
  static const std::regex kGlobl(
      R"(^\t\.globl\tcaml_(curry|tuplify|send|apply)(\d+)$)");
  static const std::regex kAscii(R"re(^\t\.ascii\t"(.*)"$)re");
  bool in_map = false;
  while (std::getline(in, line)) {
    std::smatch m;
    if (in_map) {
      if (std::regex_match(line, m, kAscii)) {
        spec.globals_map += DecodeAscii(m[1].str());
        continue;
      }
      in_map = false;
    }
    if (line == "caml_globals_map:") {
      in_map = true;
    } else if (std::regex_match(line, m, kEntry)) {
      spec.modules.push_back(ModuleOfStem(m[1].str()));
    } else if (std::regex_match(line, m, kGlobl)) {
      int n = std::stoi(m[2].str());
      const std::string kind = m[1].str();
      if (kind == "curry") spec.curry.insert(n);
      if (kind == "tuplify") spec.curry.insert(-n);
      if (kind == "send") spec.send.insert(n);
      if (kind == "apply") spec.apply.insert(n);
    }
  }
  return spec;
}

// `type name` of each global symbol of an object file.
std::set<std::string> GlobalSymbols(const std::string& dir,
                                    const std::string& obj) {
  RunResult r = Shell(dir, fmt::format("nm -g '{}'", obj));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::set<std::string> out;
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > 17) out.insert(line.substr(17));
  }
  return out;
}

// ---- The programs -------------------------------------------------------

std::string Args(std::string_view prefix, int from, int to) {
  std::string s;
  for (int i = from; i <= to; ++i) s += fmt::format(" {}{}", prefix, i);
  return s;
}
std::string Fresh(int from, int to) {
  std::string s;
  for (int i = from; i <= to; ++i) s += fmt::format(" (s {})", i);
  return s;
}
std::string ListOf(std::string_view prefix, int from, int to) {
  std::string s;
  for (int i = from; i <= to; ++i) {
    s += fmt::format("{}{}{}", i == from ? "" : "; ", prefix, i);
  }
  return s;
}

// Makes each `let () = e` line of \p main (except those that end the
// program) run e 151 times, printing only the first run's output and a
// digest of the rest at exit: loops make minor collections fall at every
// call and allocation point of the generic functions.
std::string Repeated(const std::string& main) {
  std::string out =
      "let quiet = ref false\n"
      "let buf = Buffer.create 1024\n"
      "let print_endline s = if !quiet then (Buffer.add_string buf s; "
      "Buffer.add_char buf '\\n') else Stdlib.print_endline s\n"
      "let rep f = f (); quiet := true; for _ = 1 to 150 do f () done; "
      "quiet := false\n"
      "let () = at_exit (fun () -> Stdlib.print_endline (Digest.to_hex "
      "(Digest.string (Buffer.contents buf))))\n";
  std::istringstream in(main);
  for (std::string line; std::getline(in, line);) {
    const std::string_view kLet = "let () = ";
    if (line.starts_with(kLet) && line.find("exit") == std::string::npos &&
        line.find("raise (") == std::string::npos) {
      out += fmt::format("let () = rep (fun () -> {})\n",
                         line.substr(kLet.size()));
    } else {
      out += line + "\n";
    }
  }
  return out;
}

// Curried functions of many arities, partial and over-application.
std::map<std::string, std::string> CurryProgram() {
  const std::vector<int> arities = {2,  3,  4,  5,  7,  9,  10,
                                    11, 12, 15, 16, 17, 20, 30};
  std::string lib =
      // Fresh young strings that a global array also reaches, so that a
      // minor collection forwards them: a stack slot a frame descriptor
      // forgets then reads the forwarding pointer instead of the text.
      "let keep = Array.make 64 \"\" and pos = ref 0\n"
      "let s i = let r = String.make 1 (Char.chr (97 + i mod 26)) ^ "
      "string_of_int i in incr pos; keep.(!pos land 63) <- r; r\n"
      "let cat l = String.concat \",\" l\n";
  std::string main = "open Lib\n";
  for (int n : arities) {
    lib += fmt::format("let f{0} = Sys.opaque_identity (fun{1} -> cat [{2}])\n",
                       n, Args("a", 1, n), ListOf("a", 1, n));
    if (n > 2) {
      lib += fmt::format(
          "let g{0} = Sys.opaque_identity (fun a b -> let p = a ^ b in "
          "ignore (Array.make 20 p); fun{1} -> cat [p; {2}])\n",
          n, Args("c", 3, n), ListOf("c", 3, n));
    }
    main += fmt::format("let () = print_endline (f{0}{1})\n", n, Fresh(1, n));
    main += fmt::format(
        "let () = let p = f{0} (s 1) in Gc.minor (); "
        "print_endline (p{1}); print_endline (p{2})\n",
        n, Fresh(2, n), Fresh(12, n + 10));
    int k = n / 2;
    main += fmt::format("let () = let p = f{0}{1} in print_endline (p{2})\n", n,
                        Fresh(1, k), Fresh(k + 1, n));
    std::string steps = fmt::format("let r = f{} (s 1) in ", n);
    for (int i = 2; i < n; ++i) steps += fmt::format("let r = r (s {}) in ", i);
    main += fmt::format("let () = {} print_endline (r (s {}))\n", steps, n);
    if (n > 2) {
      main += fmt::format("let () = print_endline (g{0}{1})\n", n, Fresh(1, n));
      main +=
          fmt::format("let () = let q = g{0} (s 1) in print_endline (q{1})\n",
                      n, Fresh(2, n));
    }
  }
  main +=
      "let h = Sys.opaque_identity (fun a b c -> if a = \"\" then raise "
      "Not_found else failwith (a ^ b ^ c))\n"
      "let () = try ignore (h \"\" \"b\" \"c\") with e -> print_endline "
      "(Printexc.to_string e)\n"
      "let () = let p = h \"x\" in try ignore (p \"y\" \"z\") with e -> "
      "print_endline (Printexc.to_string e)\n"
      "let () = try ignore (1 / Sys.opaque_identity 0) with e -> "
      "print_endline (Printexc.to_string e)\n"
      "let () = try assert (Sys.opaque_identity false) with e -> "
      "print_endline (Printexc.to_string e)\n"
      "let () = Gc.full_major (); print_endline (s 99)\n"
      "let () = raise (Invalid_argument (s 7))\n";
  return {{"lib.ml", lib}, {"main.ml", Repeated(main)}};
}

// Tuplified functions used as closures, objects and method calls.
std::map<std::string, std::string> TupleObjectProgram() {
  std::string util =
      // Fresh young strings that a global array also reaches, so that a
      // minor collection forwards them: a stack slot a frame descriptor
      // forgets then reads the forwarding pointer instead of the text.
      "let keep = Array.make 64 \"\" and pos = ref 0\n"
      "let s i = let r = String.make 1 (Char.chr (97 + i mod 26)) ^ "
      "string_of_int i in incr pos; keep.(!pos land 63) <- r; r\n"
      "let cat l = String.concat \";\" l\n";
  std::string main = "open Util\n";
  for (int n : {2, 3, 5, 9, 10, 12}) {
    std::string pat;
    for (int i = 1; i <= n; ++i)
      pat += fmt::format("{}a{}", i > 1 ? ", " : "", i);
    util +=
        fmt::format("let t{0} ({1}) = cat [{2}]\n", n, pat, ListOf("a", 1, n));
    std::string tup;
    for (int i = 1; i <= n; ++i)
      tup += fmt::format("{}(s {})", i > 1 ? ", " : "", i);
    main += fmt::format(
        "let () = let f = Sys.opaque_identity t{0} in "
        "List.iter (fun x -> print_endline (f x)) [({1}); ({1})]\n",
        n, tup);
  }
  main +=
      "class base (name : string) = object (self)\n"
      "  val mutable count = 0\n"
      "  method m0 = count <- count + 1; name ^ string_of_int count\n"
      "  method m1 a = name ^ a\n"
      "  method m2 a b = cat [name; a; b; self#m0]\n"
      "  method m3 a b c = cat [name; a; b; c]\n"
      "  method m7 a b c d e f g = cat [name; a; b; c; d; e; f; g]\n"
      "  method m8 a b c d e f g h = cat [name; a; b; c; d; e; f; g; h]\n"
      "  method m9 a b c d e f g h i = cat [name; a; b; c; d; e; f; g; h; i]\n"
      "  method m10 a b c d e f g h i j = cat [a; b; c; d; e; f; g; h; i; j]\n"
      "end\n"
      "class other = object\n"
      "  inherit base \"other\"\n"
      "  method extra = 42\n"
      "  method! m1 a = \"other:\" ^ a\n"
      "  method m3 a b c = cat [\"o\"; c; b; a]\n"
      "end\n"
      "let call (o : base) =\n"
      "  print_endline o#m0; print_endline (o#m1 (s 1));\n"
      "  print_endline (o#m2 (s 1) (s 2)); print_endline (o#m3 (s 1) (s 2) (s "
      "3));\n"
      "  print_endline (o#m7 (s 1) (s 2) (s 3) (s 4) (s 5) (s 6) (s 7));\n"
      "  print_endline (o#m8 (s 1) (s 2) (s 3) (s 4) (s 5) (s 6) (s 7) (s "
      "8));\n"
      "  print_endline (o#m9 (s 1) (s 2) (s 3) (s 4) (s 5) (s 6) (s 7) (s 8) "
      "(s 9));\n"
      "  print_endline (o#m10 (s 1) (s 2) (s 3) (s 4) (s 5) (s 6) (s 7) (s 8) "
      "(s 9) (s 10))\n"
      "let () = List.iter call [new base (s 3); (new other :> base); new base "
      "\"z\"; (new other :> base)]\n"
      "let () = let o = new other in print_endline (string_of_int o#extra)\n"
      "let () = let m = Sys.opaque_identity (new base \"p\") in "
      "let f = m#m3 (s 4) in print_endline (f (s 5) (s 6))\n"
      "let () = Gc.full_major (); try raise Exit with Exit -> "
      "print_endline \"Exit\"\n"
      "let () = exit 3\n";
  return {{"util.ml", util}, {"main.ml", Repeated(main)}};
}

class StartupOracleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // A missing oracle is a failure, not a skip.
    ASSERT_EQ(std::system("ocamlopt -version >/dev/null 2>&1"), 0)
        << "ocamlopt is not installed: run scripts/install-deps.sh (Debian's "
           "ocaml-nox, OCaml 4.13.1)";
    const char* tmp = std::getenv("TEST_TMPDIR");
    base_ = tmp != nullptr ? tmp : "/tmp";
  }

  // Builds and compares one program; \p files in link order.
  void Check(const std::string& name,
             const std::map<std::string, std::string>& sources,
             const std::vector<std::string>& order) {
    const std::string dir = fmt::format("{}/{}", base_, name);
    ASSERT_EQ(Shell(base_, fmt::format("rm -rf '{0}' && mkdir -p '{0}'", dir))
                  .exit_code,
              0);
    std::string cmxs;
    for (const std::string& f : order) {
      WriteFile(dir + "/" + f, sources.at(f));
      RunResult c = Shell(dir, fmt::format("ocamlopt -c '{}'", f));
      ASSERT_EQ(c.exit_code, 0) << c.err << "\n" << sources.at(f);
      cmxs += " '" + f.substr(0, f.size() - 3) + ".cmx'";
    }
    RunResult link = Shell(
        dir, fmt::format("ocamlopt -dstartup -S -verbose -o ref.exe{}", cmxs));
    ASSERT_EQ(link.exit_code, 0) << link.err;
    // The startup object ocamlopt assembled, and its link command.
    std::smatch m;
    static const std::regex kAs(
        R"(\+ \S*as +-o '([^']*)' 'ref\.exe\.startup\.s')");
    ASSERT_TRUE(std::regex_search(link.err, m, kAs)) << link.err;
    const std::string ref_startup_obj = m[1].str();
    std::string gcc;
    std::istringstream lines(link.err);
    for (std::string l; std::getline(lines, l);) {
      if (l.find("-o 'ref.exe'") != std::string::npos) gcc = l.substr(2);
    }
    ASSERT_FALSE(gcc.empty()) << link.err;

    const std::string ref_asm = ReadFile(dir + "/ref.exe.startup.s");
    StartupSpec spec = SpecFromReference(ref_asm);
    ASSERT_FALSE(spec.modules.empty());
    ASSERT_FALSE(spec.globals_map.empty());
    absl::StatusOr<std::string> ours =
        MakeStartupFile(TargetSystem::Host(), spec);
    ASSERT_TRUE(ours.ok()) << ours.status();
    WriteFile(dir + "/ours.startup.s", *ours);
    RunResult as = Shell(dir,
                         "as -o ours.startup.o ours.startup.s && "
                         "as -o ref.startup.o ref.exe.startup.s");
    ASSERT_EQ(as.exit_code, 0) << as.err;
    EXPECT_EQ(GlobalSymbols(dir, "ours.startup.o"),
              GlobalSymbols(dir, "ref.startup.o"));

    std::string our_link = gcc;
    our_link.replace(our_link.find(ref_startup_obj), ref_startup_obj.size(),
                     "ours.startup.o");
    our_link.replace(our_link.find("-o 'ref.exe'"), 12, "-o 'ours.exe'");
    RunResult ol = Shell(dir, our_link);
    ASSERT_EQ(ol.exit_code, 0) << our_link << "\n" << ol.err;

    for (std::string env : {"", "OCAMLRUNPARAM=s=256 "}) {
      RunResult want = Shell(dir, env + "./ref.exe");
      RunResult got = Shell(dir, env + "./ours.exe");
      EXPECT_FALSE(want.out.empty());
      EXPECT_EQ(got.exit_code, want.exit_code) << env << got.err;
      EXPECT_EQ(got.out, want.out) << env;
      EXPECT_EQ(got.err, want.err) << env;
    }
    RecordProperty("ocamlopt_version",
                   Shell(dir, "ocamlopt -version").out.substr(0, 6));
  }

  std::string base_;
};

TEST_F(StartupOracleTest, CurryApplyAndExceptions) {
  Check("curry", CurryProgram(), {"lib.ml", "main.ml"});
}

TEST_F(StartupOracleTest, TuplifyAndSend) {
  Check("tuple_send", TupleObjectProgram(), {"util.ml", "main.ml"});
}

}  // namespace
}  // namespace camlsym
