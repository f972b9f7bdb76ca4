// camlsym's startup text beside the one `ocamlopt -dstartup -S` writes for
// the same link, release by release: 4.13.1 (the host's; on AArch64
// Debian bookworm's under qemu) and Debian's 5.3 and 5.4, on x86-64 and on
// AArch64. A main program, a plugin and a pack that need generic functions
// of every kind (caml_curryN, caml_curryN_K_app, caml_tuplifyN, caml_sendN,
// caml_applyN) are linked by ocamlopt, and camlsym writes the startup of
// the same .cmx files (`camlsym startup [--shared] -o x.s`). The two texts,
// and the objects GNU as makes of them, must have:
// - the same global symbols defined in the same order (the same tables and
//   the same generic functions), each with the same ELF type, binding and
//   section, and the same entry calls in caml_program;
// - the same bytes and relocations in every data table (caml_globals, the
//   segment tables, caml_frametable, caml_globals_map, caml_plugin_header,
//   the gc_roots, ...), except the startup's own frametable, whose frame
//   descriptors hold code addresses and frame sizes of code generated each
//   its own way (see below: the other generic functions);
// - the same text for each closure-building curry function (caml_curryN,
//   caml_curryN_K but the last): text that differs only in codegen-invariant
//   ways (local label names, labels nothing refers to), and whose assembled
//   code bytes and relocations are then the same.
// The other generic functions (caml_curryN_K_app, the last caml_curryN_K,
// caml_tuplifyN, caml_sendN, caml_applyN) have camlsym's own register
// assignment, as in 4.13: they must be functions of the same names in the
// same places; the corpus, startup_x86_64 and dynlink tests run them. On
// AArch64 (the arm64 ocamlopt under qemu) that holds of the curry
// functions too (ocamlopt gives each temporary of a closure its own
// register, camlsym reuses one), so there the code is compared by symbol,
// order and ELF attributes, the tables byte for byte.
#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "camlsym/tests/corpus.h"
#include "camlsym/tests/object_compare.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym::testing {
namespace {

constexpr std::string_view kLibMl = R"(let f5 a b c d e = a + b + c + d + e
let f12 a b c d e f g h i j k l = a + b + c + d + e + f + g + h + i + j + k + l
let t3 (a, b, c) = a * b + c
let t4 (a, b, c, d) = a * b + c * d
class counter = object
  val mutable n = 0
  method add4 a b c d = n <- n + a + b + c + d; n
  method get = n
end
)";

constexpr std::string_view kMainMl = R"(let () =
  let f = Sys.opaque_identity Lib.f5 in
  let p = f 1 2 in
  Printf.printf "%d %d\n" (p 3 4 5) (f 1 1 1 1 1);
  let g = Sys.opaque_identity Lib.f12 1 2 3 in
  Printf.printf "%d\n" (g 4 5 6 7 8 9 10 11 12);
  let t = Sys.opaque_identity Lib.t3 in
  Printf.printf "%d %d\n" (t (2, 3, 4)) (Lib.t4 (1, 2, 3, 4));
  let o = Sys.opaque_identity (new Lib.counter) in
  Printf.printf "%d %d\n" (o#add4 1 2 3 4) o#get
)";

// A plugin with generic functions the main program lacks.
constexpr std::string_view kPluginMl =
    R"(let f7 a b c d e f g = a + b + c + d + e + f + g
let t6 (a, b, c, d, e, f) = a + b + c + d + e + f
let o = object method m6 a b c d e f = a + b + c + d + e + f end
let apply9 (g : int -> int -> int -> int -> int -> int -> int -> int -> int
    -> int) = g 1 2 3 4 5 6 7 8 9
let () =
  let p = Sys.opaque_identity f7 1 in
  let q = Sys.opaque_identity t6 in
  let r = Sys.opaque_identity o in
  Printf.printf "%d %d %d %d\n" (p 2 3 4 5 6 7) (q (1, 2, 3, 4, 5, 6))
    (r#m6 1 2 3 4 5 6)
    (apply9 (Sys.opaque_identity (fun a b c d e f g h i ->
      a + b + c + d + e + f + g + h + i)))
)";

// One global symbol's part of an assembly text: from its `.globl` line to
// the next one, blanks collapsed, with its local labels renamed in order of
// appearance (`.L0`, `.L1`, ...) and those nothing refers to left out.
struct Block {
  std::string name;
  std::vector<std::string> lines;
};

// \p line with its blanks collapsed to one space and trimmed: GNU as reads
// `.globl\tx` and `.globl x` alike (4.13's AArch64 emitter writes tabs
// where camlsym writes spaces).
std::string Collapsed(std::string_view line) {
  std::string out;
  for (char c : line) {
    if (c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<Block> SplitAtGlobals(const std::string& text) {
  static const std::regex kGlobl(R"(^\.globl (\S+)$)");
  static const std::regex kLabelDef(R"(^(\.L\d+):$)");
  static const std::regex kLabelAndMore(R"(^(\.L\d+): (.*)$)");
  static const std::regex kLabel(R"(\.L\d+\b)");
  std::map<std::string, int> uses;
  for (std::sregex_iterator it(text.begin(), text.end(), kLabel), end;
       it != end; ++it) {
    ++uses[it->str()];
  }
  std::vector<Block> out = {Block{"<before the first .globl>", {}}};
  std::istringstream in(text);
  for (std::string raw; std::getline(in, raw);) {
    std::vector<std::string> lines = {Collapsed(raw)};
    std::smatch m;
    // `.L5: bl caml_call_gc` (AArch64 4.13) is a label and a line.
    if (std::regex_match(lines[0], m, kLabelAndMore)) {
      lines = {m[1].str() + ":", m[2].str()};
    }
    for (const std::string& line : lines) {
      if (line.empty()) continue;
      // 4.13's AArch64 emitter declares some symbols global twice in a row
      // (caml_exn_Not_found, caml_globals, ...): one block.
      if (std::regex_match(line, m, kGlobl)) {
        if (out.back().name == m[1]) continue;
        out.push_back(Block{m[1], {}});
      }
      if (std::regex_match(line, m, kLabelDef) && uses[m[1]] == 1) continue;
      out.back().lines.push_back(line);
    }
  }
  for (Block& b : out) {
    std::map<std::string, std::string> renamed;
    for (std::string& line : b.lines) {
      std::string r;
      std::sregex_iterator it(line.begin(), line.end(), kLabel), end;
      size_t at = 0;
      for (; it != end; ++it) {
        r += line.substr(at, it->position() - at);
        auto [slot, fresh] =
            renamed.try_emplace(it->str(), fmt::format(".L{}", renamed.size()));
        r += slot->second;
        at = it->position() + it->length();
      }
      line = r + line.substr(at);
    }
  }
  return out;
}

std::vector<std::string> Names(const std::vector<Block>& blocks) {
  std::vector<std::string> out;
  for (const Block& b : blocks) out.push_back(b.name);
  return out;
}

// caml_curryN and caml_curryN_K with K < N - 1: each allocates the closure
// of one more argument, with no call but caml_call_gc.
bool BuildsCurryClosure(const std::string& name) {
  static const std::regex kCurry(R"(caml_curry(\d+)(_(\d+))?)");
  std::smatch m;
  if (!std::regex_match(name, m, kCurry)) return false;
  return !m[3].matched || std::stoi(m[3]) < std::stoi(m[1]) - 1;
}

// The startup's own frametable (4.13: `caml_startup__frametable`, 5.x:
// `caml_shared_startup.frametable`), whose descriptors describe the
// generic functions' code; not caml_frametable, the table of every unit's.
bool IsOwnFrametable(const std::string& name) {
  static const std::regex kOwn(R"(caml_(shared_)?startup(__|\.)frametable)");
  return std::regex_match(name, kOwn);
}

// The segment markers of the startup: `caml_startup__code_begin` (4.13),
// `caml_shared_startup.data_end` (5.x), ...
bool IsMarker(const std::string& name) {
  static const std::regex kMarker(
      R"(caml_(shared_)?startup(__|\.)(code|data)_(begin|end))");
  return std::regex_match(name, kMarker);
}

// The global symbols of \p v by name.
std::map<std::string, ObjectSymbol> GlobalsByName(const ObjectView& v) {
  std::map<std::string, ObjectSymbol> out;
  for (const ObjectSymbol& s : v.symbols) {
    if (s.binding != 0 /* STB_LOCAL */ && s.section != "UNDEF") {
      out[s.name] = s;
    }
  }
  return out;
}

// The target of \p r as `symbol+addend`; one against a section symbol
// (`section .data`, a local label's) as the global symbol of that section
// at or before the addend and the rest, so that two objects whose tables
// are laid out at other offsets compare alike. Of global symbols at the
// same address, the first by name is taken.
std::string RelocationTarget(const std::map<std::string, ObjectSymbol>& globals,
                             const ObjectRelocation& r) {
  const std::string_view kSection = "section ";
  if (!r.symbol.starts_with(kSection)) {
    return fmt::format("{}{:+}", r.symbol, r.addend);
  }
  const std::string section = r.symbol.substr(kSection.size());
  const ObjectSymbol* base = nullptr;
  for (const auto& [name, sym] : globals) {
    if (sym.section == section && static_cast<int64_t>(sym.value) <= r.addend &&
        (base == nullptr || sym.value > base->value)) {
      base = &sym;
    }
  }
  if (base == nullptr) return fmt::format("{}{:+}", r.symbol, r.addend);
  return fmt::format("{}{:+}", base->name,
                     r.addend - static_cast<int64_t>(base->value));
}

// The bytes and relocations (offsets relative to the symbol) of global
// symbol \p name: \p size_bytes from its value, or, for a symbol of size 0
// (a data label), up to the next global symbol of its section or the
// section's end.
std::string Extent(const ObjectView& v, const std::string& name) {
  const std::map<std::string, ObjectSymbol> globals = GlobalsByName(v);
  const ObjectSymbol& s = globals.at(name);
  const ObjectSection* section = nullptr;
  for (const ObjectSection& x : v.sections) {
    if (x.name == s.section) section = &x;
  }
  if (section == nullptr) return "no section " + s.section;
  uint64_t end = s.value + s.size_bytes;
  if (s.size_bytes == 0) {
    end = section->size_bytes;
    for (const auto& [n, o] : globals) {
      if (o.section == s.section && o.value > s.value) {
        end = std::min(end, o.value);
      }
    }
  }
  std::string out = fmt::format("{} bytes:", end - s.value);
  if (section->bytes_compared) {
    for (uint64_t i = s.value; i < end && i < section->bytes.size(); ++i) {
      out += fmt::format(" {:02x}", static_cast<uint8_t>(section->bytes[i]));
    }
  }
  for (const ObjectRelocation& r : v.relocations) {
    if (r.section == s.section && r.offset_bytes >= s.value &&
        r.offset_bytes < end) {
      out += fmt::format("\n  reloc +{} type {} {}", r.offset_bytes - s.value,
                         r.type, RelocationTarget(globals, r));
    }
  }
  return out;
}

// One release on one target.
struct Release {
  std::string name;  // for test names
  // "" for 4.13.1 (the host's, and Debian bookworm's arm64 tree under
  // qemu), else the Debian suite of FindOcaml5Tree.
  std::string suite;
  bool arm64 = false;
};

class StartupTextOracleTest : public ::testing::TestWithParam<Release> {
 protected:
  void SetUp() override {
    const Release& t = GetParam();
    arm64_ = t.arm64;
    as_ = t.arm64 ? "aarch64-linux-gnu-as" : "as";
    camlsym_startup_ = CamlsymBinary() + " startup" +
                       (t.arm64 ? " --target=aarch64-linux" : "");
    if (!t.suite.empty()) {
      std::string why;
      std::optional<Ocaml5Tree> tree =
          FindOcaml5Tree(t.suite, t.arm64 ? "arm64" : "amd64", why);
      ASSERT_TRUE(tree.has_value()) << why;
      ocamlopt_ = tree->Tool("ocamlopt");
      stdlib_ = tree->stdlib;
      ocaml5_ = true;
      version_ = tree->version;
    } else if (t.arm64) {
      const std::string root = CacheDir() + "/arm64-ocaml";
      ocamlopt_ = fmt::format(
          "env OCAMLLIB={0}/usr/lib/ocaml qemu-aarch64 -L "
          "/usr/aarch64-linux-gnu {0}/usr/bin/ocamlopt.opt",
          root);
      stdlib_ = root + "/usr/lib/ocaml";
      ASSERT_EQ(RunShell(ocamlopt_ + " -version").exit_code, 0)
          << "the arm64 OCaml 4.13.1 is missing under " << root
          << ": run scripts/install-deps.sh";
    } else {
      ocamlopt_ = "ocamlopt";
      stdlib_ = HostStdlibDir();
      ASSERT_EQ(RunShell("ocamlopt -version").exit_code, 0)
          << "ocamlopt 4.13.1 is not installed: run scripts/install-deps.sh "
             "(Debian's ocaml-nox)";
    }
    RecordProperty("ocamlopt_version", version_);
    dir_ = MakeTempDir("startup_text_" + t.name);
    for (const auto& [name, text] :
         {std::pair{"lib.ml", kLibMl}, std::pair{"main.ml", kMainMl},
          std::pair{"plugin.ml", kPluginMl}}) {
      ASSERT_TRUE(WriteFile(dir_ + "/" + name, text));
    }
    Sh(fmt::format("{} -c lib.ml main.ml plugin.ml", ocamlopt_));
  }

  std::string Sh(const std::string& cmd) {
    CommandResult r =
        RunShell(fmt::format("cd {} && ( {} ) 2>&1", ShellQuote(dir_), cmd));
    EXPECT_EQ(r.exit_code, 0) << cmd << "\n" << r.out;
    return r.out;
  }

  // Writes both startups of \p cmx_files (`--shared` for a plugin) as
  // ref.s and cs.s, assembles them, and compares them as the file comment
  // says. Returns the number of generic functions compared.
  int Compare(const std::string& cmx_files, bool plugin) {
    // ocamlopt keeps its startup text as OUTPUT.startup.s.
    const std::string out = plugin ? "ref.cmxs" : "ref.exe";
    Sh(fmt::format("{} {} -dstartup -S -o {} {} && mv {}.startup.s ref.s",
                   ocamlopt_, plugin ? "-shared" : "", out, cmx_files, out));
    Sh(fmt::format("{} {} --ocaml-stdlib={} -o cs.s {}", camlsym_startup_,
                   plugin ? "--shared" : "", ShellQuote(stdlib_), cmx_files));
    Sh(fmt::format("{0} -o ref.o ref.s && {0} -o cs.o cs.s", as_));
    if (HasFailure()) return 0;
    const std::string ref_text = ReadFile(dir_ + "/ref.s");
    const std::string our_text = ReadFile(dir_ + "/cs.s");
    const std::vector<Block> ref = SplitAtGlobals(ref_text);
    const std::vector<Block> ours = SplitAtGlobals(our_text);

    // The same tables and generic functions, in the same order.
    EXPECT_EQ(Names(ours), Names(ref));
    if (Names(ours) != Names(ref)) return 0;
    EXPECT_EQ(EntryCalls(our_text), EntryCalls(ref_text));

    absl::StatusOr<ObjectView> ref_obj = ReadObject(dir_ + "/ref.o");
    absl::StatusOr<ObjectView> our_obj = ReadObject(dir_ + "/cs.o");
    EXPECT_TRUE(ref_obj.ok()) << ref_obj.status();
    EXPECT_TRUE(our_obj.ok()) << our_obj.status();
    if (!ref_obj.ok() || !our_obj.ok()) return 0;
    const std::map<std::string, ObjectSymbol> ref_syms =
        GlobalsByName(*ref_obj);
    const std::map<std::string, ObjectSymbol> our_syms =
        GlobalsByName(*our_obj);
    // Before the first global symbol: the float masks.
    auto section_bytes = [](const ObjectView& v, std::string_view name) {
      for (const ObjectSection& x : v.sections) {
        if (x.name == name) return x.bytes;
      }
      return std::string("(none)");
    };
    EXPECT_EQ(section_bytes(*our_obj, ".rodata.cst16"),
              section_bytes(*ref_obj, ".rodata.cst16"));
    int generic = 0, same_text = 0;
    for (size_t i = 1; i < ref.size(); ++i) {
      const std::string& name = ref[i].name;
      SCOPED_TRACE(name);
      if (!ref_syms.contains(name) || !our_syms.contains(name)) {
        ADD_FAILURE() << "not a global symbol of both objects";
        continue;
      }
      const ObjectSymbol& r = ref_syms.at(name);
      const ObjectSymbol& o = our_syms.at(name);
      EXPECT_EQ(o.section, r.section);
      EXPECT_EQ(o.type, r.type);
      EXPECT_EQ(o.binding, r.binding);
      const bool is_generic =
          name.starts_with("caml_curry") || name.starts_with("caml_tuplify") ||
          name.starts_with("caml_send") || name.starts_with("caml_apply");
      generic += is_generic;
      if (IsMarker(name)) {
        // `data_begin`, `code_end`, ...: an address, no contents (camlsym's
        // x86-64 caml_program keeps a table of the entries, a local label,
        // after data_begin).
        EXPECT_EQ(o.size_bytes, r.size_bytes);
      } else if (r.section.starts_with(".data") && !IsOwnFrametable(name)) {
        // A table: the same bytes and relocations.
        EXPECT_EQ(Extent(*our_obj, name), Extent(*ref_obj, name));
      } else if (ours[i].lines == ref[i].lines) {
        // The same text but for labels: the same code.
        ++same_text;
        EXPECT_EQ(Extent(*our_obj, name), Extent(*ref_obj, name));
      } else if (BuildsCurryClosure(name) && !arm64_) {
        EXPECT_EQ(ours[i].lines, ref[i].lines);
      }
    }
    RecordProperty(plugin ? "plugin_same_text" : "main_same_text", same_text);
    return generic;
  }

  std::string ocamlopt_, stdlib_, dir_, as_, camlsym_startup_;
  bool ocaml5_ = false, arm64_ = false;
  std::string version_ = "4.13.1";
};

TEST_P(StartupTextOracleTest, MainProgram) {
  EXPECT_GT(Compare("lib.cmx main.cmx", /*plugin=*/false), 40);
}

TEST_P(StartupTextOracleTest, Plugin) {
  EXPECT_GT(Compare("lib.cmx plugin.cmx", /*plugin=*/true), 40);
}

// A pack (`-for-pack`; 5.x records it in ui_for_pack): the pack's members
// are initialised, and listed, under the pack's name; as an executable and
// as a plugin.
TEST_P(StartupTextOracleTest, Pack) {
  ASSERT_TRUE(
      WriteFile(dir_ + "/pa.ml", "let f x = x + 1\nlet g a b c = a + b + c\n"));
  ASSERT_TRUE(
      WriteFile(dir_ + "/pb.ml", "let h x = Pa.f x * 2\nlet k = Pa.g 1\n"));
  ASSERT_TRUE(WriteFile(dir_ + "/pmain.ml",
                        "let () = print_int (Pk.Pb.h 3 + Pk.Pb.k 2 3)\n"));
  Sh(fmt::format(
      "{0} -for-pack Pk -c pa.ml && {0} -for-pack Pk -c pb.ml && {0} -pack "
      "-o pk.cmx pa.cmx pb.cmx && {0} -c pmain.ml",
      ocamlopt_));
  ASSERT_FALSE(HasFailure());
  EXPECT_GT(Compare("pk.cmx pmain.cmx", /*plugin=*/false), 0);
  const std::string ref = ReadFile(dir_ + "/ref.s");
  EXPECT_THAT(EntryCalls(ref),
              ::testing::Contains(::testing::HasSubstr(
                  ocaml5_ ? "camlPk.Pa.entry" : "camlPk__Pa__entry")));
  Compare("pk.cmx", /*plugin=*/true);
}

INSTANTIATE_TEST_SUITE_P(
    Releases, StartupTextOracleTest,
    ::testing::Values(Release{"ocaml413_x86_64", "", false},
                      Release{"ocaml53_x86_64", "trixie", false},
                      Release{"ocaml54_x86_64", "sid", false},
                      Release{"ocaml413_aarch64", "", true},
                      Release{"ocaml53_aarch64", "trixie", true},
                      Release{"ocaml54_aarch64", "sid", true}),
    [](const ::testing::TestParamInfo<Release>& i) { return i.param.name; });

}  // namespace
}  // namespace camlsym::testing
