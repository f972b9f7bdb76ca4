#include "camlsym/tests/corpus.h"

#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <sstream>

#include "camlsym/tests/object_compare.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gtest/gtest.h"

namespace camlsym::testing {
namespace {

std::string Runfiles() {
  const char* s = std::getenv("TEST_SRCDIR");
  return fmt::format("{}/camlsym", s != nullptr ? s : ".");
}

std::vector<std::string> Words(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

std::string CamlsymBinary() { return Runfiles() + "/camlsym"; }
std::string CorpusDir() { return Runfiles() + "/tests/programs"; }

std::vector<std::string> CorpusPrograms() {
  std::vector<std::string> out;
  DIR* d = opendir(CorpusDir().c_str());
  if (d == nullptr) return out;
  while (dirent* e = readdir(d)) {
    std::string n = e->d_name;
    if (n.size() > 3 && n[0] >= '0' && n[0] <= '9' && n[2] == '_') {
      out.push_back(n);
    }
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> ExpectedCorpusPrograms() {
  std::vector<std::string> out =
      Words(ReadFile(Runfiles() + "/tests/program_list.txt"));
  std::sort(out.begin(), out.end());
  return out;
}

std::string CompileProgram(const Toolchain& tc, const std::string& name,
                           const std::string& work_dir) {
  const std::string src = CorpusDir() + "/" + name;
  std::string cmd = fmt::format(
      "rm -rf {0} && mkdir -p {0} && cp {1}/* {0}/ "
      "&& cd {0}",
      ShellQuote(work_dir), ShellQuote(src));
  for (const std::string& ml : Words(ReadFile(src + "/ORDER"))) {
    std::string base = ml.substr(0, ml.size() - 3);
    cmd += fmt::format(
        " && {{ if [ -f {0}.mli ]; then {1} -g -c {0}.mli; "
        "fi; }} && {1} -g -c {0}.ml",
        base, tc.ocamlopt);
  }
  CommandResult r = RunShell(cmd + " 2>&1");
  return r.exit_code == 0 ? "" : r.out + "\n(command: " + cmd + ")";
}

std::string LinkArguments(const std::string& name) {
  const std::string src = CorpusDir() + "/" + name;
  std::string args = Trim(ReadFile(src + "/LIBS"));
  for (const std::string& ml : Words(ReadFile(src + "/ORDER"))) {
    args += " " + ml.substr(0, ml.size() - 3) + ".cmx";
  }
  return args;
}

std::string CacheRoot() {
  if (const char* c = std::getenv("CAMLSYM_CACHE"); c != nullptr && *c) {
    return c;
  }
  const char* home = std::getenv("HOME");
  return fmt::format("{}/.cache/camlsym", home != nullptr ? home : "");
}

namespace {

// Hash of program \p name's sources (names and contents) and \p key.
std::string SourceHash(const std::string& name, std::string_view key) {
  CommandResult r = RunShell(fmt::format(
      "cd {} && {{ echo {}; for f in $(ls -A | LC_ALL=C sort); do echo \"$f\"; "
      "cat \"$f\"; done; }} | sha256sum | cut -c1-32",
      ShellQuote(CorpusDir() + "/" + name), ShellQuote(std::string(key))));
  std::string h = r.out.substr(0, r.out.find_first_of(" \n"));
  return r.exit_code == 0 && h.size() == 32 ? h : "";
}

}  // namespace

std::string CompileAndLinkReference(const Toolchain& tc,
                                    const std::string& name,
                                    const std::string& dir) {
  std::string err = CompileProgram(tc, name, dir);
  if (!err.empty()) return err;
  CommandResult ref =
      RunShell(fmt::format("cd {} && {} -g -dstartup -o ref.exe {} 2>&1",
                           ShellQuote(dir), tc.ocamlopt, LinkArguments(name)));
  if (ref.exit_code != 0) return "ocamlopt link failed: " + ref.out;
  return "";
}

std::string CachedCompileAndLinkReference(const Toolchain& tc,
                                          const std::string& name,
                                          const std::string& dir,
                                          std::string_view cache_key) {
  const std::string hash = SourceHash(name, cache_key);
  if (hash.empty()) return "cannot hash the sources of " + name;
  const std::string cache =
      fmt::format("{}/corpus-arm64/{}", CacheRoot(), hash);
  if (RunShell(fmt::format("test -f {}/.complete", ShellQuote(cache)))
          .exit_code == 0) {
    CommandResult cp = RunShell(
        fmt::format("rm -rf {0} && mkdir -p {0} && cp -a {1}/. {0}/ 2>&1",
                    ShellQuote(dir), ShellQuote(cache)));
    if (cp.exit_code == 0) return "";
  }
  std::string err = CompileAndLinkReference(tc, name, dir);
  if (!err.empty()) return err;
  // Publish atomically: copy to a private name, mark complete, rename.
  RunShell(fmt::format(
      "mkdir -p {0}/corpus-arm64 && t=$(mktemp -d {0}/corpus-arm64/.tmpXXXXXX) "
      "&& cp -a {1}/. \"$t\"/ && touch \"$t\"/.complete && "
      "{{ mv -T \"$t\" {2} 2>/dev/null || rm -rf \"$t\"; }}",
      ShellQuote(CacheRoot()), ShellQuote(dir), ShellQuote(cache)));
  return "";
}

RunResult RunProgram(const Toolchain& tc, const std::string& work_dir,
                     const std::string& exe, const std::string& env) {
  const std::string out = fmt::format("{}/{}.stdout", work_dir, exe);
  const std::string err = fmt::format("{}/{}.stderr", work_dir, exe);
  CommandResult r = RunShell(
      fmt::format("cd {} && {} {} ./{} > {} 2> {} < /dev/null; echo $?",
                  ShellQuote(work_dir), env, tc.run_prefix, exe,
                  ShellQuote(out), ShellQuote(err)));
  return RunResult{ReadFile(out), ReadFile(err), std::atoi(r.out.c_str())};
}

std::vector<std::string> QuadSymbolsAfterLabel(const std::string& asm_text,
                                               const std::string& label) {
  std::vector<std::string> out;
  std::istringstream in(asm_text);
  std::string line;
  bool on = false;
  while (std::getline(in, line)) {
    std::string t = Trim(line);
    if (!on) {
      on = t == label + ":";
      continue;
    }
    if (t.rfind(".quad", 0) != 0) break;
    out.push_back(Trim(t.substr(5)));
  }
  return out;
}

std::vector<std::string> EntryCalls(const std::string& asm_text) {
  std::vector<std::string> out;
  // ocamlopt calls each entry; camlsym's x86-64 caml_program walks a table
  // of them (`.quad`), in the same order. `__entry` in 4.13, `.entry` in
  // 5.x.
  std::regex re(R"((call|bl|\.quad)\s+(caml\S+(__|\.)entry))");
  std::istringstream in(asm_text);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, re)) out.push_back(m[2]);
  }
  return out;
}

std::vector<std::string> GlobalSymbols(const Toolchain& tc,
                                       const std::string& object) {
  std::vector<std::string> out;
  CommandResult r = RunShell(
      fmt::format("{} -g --defined-only {}", tc.nm, ShellQuote(object)));
  std::istringstream in(r.out);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> w = Words(line);
    if (!w.empty()) out.push_back(w.back());
  }
  std::sort(out.begin(), out.end());
  return out;
}

void ExpectLinksLikeOcamlopt(const Toolchain& tc, const std::string& name,
                             const std::string& dir) {
  CommandResult ours = RunShell(fmt::format(
      "cd {} && {} link {} {} --keep-startup=cs.startup.s -o cs.exe {} 2>&1",
      ShellQuote(dir), CamlsymBinary(), tc.camlsym_args, tc.camlsym_link_args,
      LinkArguments(name)));
  ASSERT_EQ(ours.exit_code, 0) << ours.out;

  for (const char* env : {"", "OCAMLRUNPARAM=s=256"}) {
    RunResult a = RunProgram(tc, dir, "ref.exe", env);
    RunResult b = RunProgram(tc, dir, "cs.exe", env);
    EXPECT_FALSE(a.out.empty()) << name;
    EXPECT_EQ(a.out, b.out) << name << " stdout " << env;
    EXPECT_EQ(a.err, b.err) << name << " stderr " << env;
    EXPECT_EQ(a.exit_code, b.exit_code) << name << " exit " << env;
  }

  const std::string ref_s = ReadFile(dir + "/ref.exe.startup.s");
  const std::string our_s = ReadFile(dir + "/cs.startup.s");
  ASSERT_FALSE(ref_s.empty());
  ASSERT_FALSE(our_s.empty());
  EXPECT_EQ(EntryCalls(our_s), EntryCalls(ref_s)) << name;
  for (const char* table : {"caml_globals", "caml_data_segments",
                            "caml_code_segments", "caml_frametable"}) {
    std::vector<std::string> want = QuadSymbolsAfterLabel(ref_s, table);
    EXPECT_GT(want.size(), 3u) << table;
    EXPECT_EQ(QuadSymbolsAfterLabel(our_s, table), want)
        << name << " " << table;
  }
  const std::string map = AsmOcamlString(ref_s, "caml_globals_map");
  EXPECT_FALSE(map.empty());
  EXPECT_EQ(AsmOcamlString(our_s, "caml_globals_map"), map) << name;
  CommandResult as = RunShell(
      fmt::format("cd {0} && {1} -o ref.startup.o ref.exe.startup.s && {1} -o "
                  "cs.startup.o cs.startup.s 2>&1",
                  ShellQuote(dir), tc.assembler));
  ASSERT_EQ(as.exit_code, 0) << as.out;
  std::vector<std::string> ref_syms = GlobalSymbols(tc, dir + "/ref.startup.o");
  EXPECT_GT(ref_syms.size(), 20u);
  EXPECT_EQ(GlobalSymbols(tc, dir + "/cs.startup.o"), ref_syms) << name;

  if (tc.integrated_assembler) {
    // cs.exe was linked with camlsym's own startup object: it must be the
    // object that the real assembler makes of the same startup text.
    CommandResult obj = RunShell(fmt::format(
        "cd {} && {} startup {} -o cs.integrated.o {} 2>&1", ShellQuote(dir),
        CamlsymBinary(), tc.camlsym_args, LinkArguments(name)));
    ASSERT_EQ(obj.exit_code, 0) << obj.out;
    EXPECT_EQ(CompareObjects(dir + "/cs.startup.o", dir + "/cs.integrated.o"),
              "")
        << name;
    // The same units as a plugin: the shared startup object equals the
    // assembler's too.
    CommandResult shared = RunShell(fmt::format(
        "cd {0} && {1} startup --shared {2} -o cs.shared.s {3} && {1} startup "
        "--shared {2} -o cs.shared.integrated.o {3} && {4} -o cs.shared.o "
        "cs.shared.s 2>&1",
        ShellQuote(dir), CamlsymBinary(), tc.camlsym_args, LinkArguments(name),
        tc.assembler));
    ASSERT_EQ(shared.exit_code, 0) << shared.out;
    EXPECT_EQ(
        CompareObjects(dir + "/cs.shared.o", dir + "/cs.shared.integrated.o"),
        "")
        << name << " (shared startup)";
  }
}

}  // namespace camlsym::testing
