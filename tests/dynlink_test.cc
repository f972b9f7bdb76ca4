// Dynlink plugins linked by camlsym (`camlsym link --shared`) against those
// linked by ocamlopt (`ocamlopt -shared`) of the same release: 4.13.1 and
// Debian's 5.3 and 5.4, on x86-64 and on AArch64 under qemu. A
// main program linked with dynlink.cmxa (by ocamlopt, and by camlsym) loads
// the plugins with Dynlink.loadfile, in all four pairings: initialisers
// run, call back into the main program and into each other, values and
// exceptions cross the boundary, a plugin needs generic functions the main
// program lacks (caml_curry23, caml_tuplify9, caml_send7, caml_apply19),
// and Dynlink's errors keep their meaning (a plugin compiled against another
// version of a main-program interface; the same plugin loaded twice). Every
// combination must print exactly what ocamlopt's main program prints with
// ocamlopt's plugins, also with OCAMLRUNPARAM=s=256; camlsym's plugins
// define the dynamic symbols ocamlopt's do (5.x's Dynlink registers each
// unit's frametable and gc_roots, and refuses a plugin that lacks one). On
// x86-64 the shared startup objects that camlsym's integrated assembler
// writes for the plugins are also compared with what GNU as makes of the
// same text.
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "camlsym/emitters/startup.h"
#include "camlsym/symbols/object_file.h"
#include "camlsym/target_system/target_system.h"
#include "camlsym/tests/corpus.h"
#include "camlsym/tests/object_compare.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::camlsym::testing::RunShell;
using ::testing::HasSubstr;

constexpr std::string_view kApiMli = R"(exception Boom of string
val register : string -> (int -> int) -> unit
val call : string -> int -> int
val log : string -> unit
val names : unit -> string list
)";

constexpr std::string_view kApiMl = R"(exception Boom of string
let table : (string, int -> int) Hashtbl.t = Hashtbl.create 16
let register n f = Hashtbl.replace table n f
let call n x = (Hashtbl.find table n) x
let log s = print_endline ("[main] " ^ s)
let names () =
  List.sort compare (Hashtbl.fold (fun k _ acc -> k :: acc) table [])
)";

constexpr std::string_view kMainMl = R"(let load f =
  try Dynlink.loadfile f; Api.log ("loaded " ^ f)
  with Dynlink.Error e ->
    Api.log ("refused " ^ f ^ ": " ^ Dynlink.error_message e)
let () =
  for i = 1 to Array.length Sys.argv - 1 do load Sys.argv.(i) done;
  List.iter (fun n ->
    let r = try string_of_int (Api.call n 7) with
      | Api.Boom s -> "Boom " ^ s
      | e -> "exn " ^ Printexc.to_string e in
    Api.log (Printf.sprintf "%s 7 = %s" n r)) (Api.names ());
  Gc.full_major ();
  Api.log "done"
)";

// Plugin 1: closures, partial application, exceptions both ways.
constexpr std::string_view kP1Ml = R"(exception Plugin_error of int
type point = { x : int; y : float; label : string }
let make x = { x; y = float_of_int x /. 2.; label = "pt" ^ string_of_int x }
let sum3 a b c = a + b + c
let partial = sum3 100
let () =
  Api.log "p1 init";
  Api.register "p1.add" (fun x -> partial x 1);
  Api.register "p1.boom"
    (fun x -> raise (Api.Boom ("from p1 " ^ string_of_int x)));
  Api.register "p1.own" (fun x -> raise (Plugin_error x));
  Api.register "p1.catch" (fun x -> try Api.call "missing" x with Not_found -> -x)
)";

// Plugin 2: uses plugin 1's values, types and exceptions.
constexpr std::string_view kP2Ml = R"(let () =
  Api.log "p2 init";
  let p = P1.make 9 in
  Api.log (Printf.sprintf "p2 sees %s %g" p.P1.label p.P1.y);
  Api.register "p2.chain" (fun x -> Api.call "p1.add" x * 2 + P1.sum3 x x x);
  Api.register "p2.catch" (fun x ->
    try Api.call "p1.own" x with P1.Plugin_error n -> n * 1000);
  Api.register "p2.list" (fun x ->
    List.fold_left ( + ) 0 (List.init x (fun i -> P1.partial i i)))
)";

// Plugin 3: generic functions no main program has.
constexpr std::string_view kGenMl =
    R"(let f23 a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15 a16 a17 a18 a19
    a20 a21 a22 a23 =
  a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11 + a12 + a13 + a14
  + a15 + a16 + a17 + a18 + a19 + a20 + a21 + a22 + a23
let t9 (a, b, c, d, e, f, g, h, i) = a * b + c * d + e * f + g * h + i
let o = object
  method m7 a b c d e f g = Printf.sprintf "%d%d%d%d%d%d%d" a b c d e f g
end
let apply19 (g : int -> int -> int -> int -> int -> int -> int -> int -> int
    -> int -> int -> int -> int -> int -> int -> int -> int -> int -> int
    -> int) x =
  g x 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18
let keep = ref []
let () =
  Api.log "gen init";
  let p = Sys.opaque_identity f23 1 2 3 in
  keep := [Obj.repr p];
  Api.register "gen.curry23" (fun x ->
    (Sys.opaque_identity p) x 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21
      22 23);
  let tf = Sys.opaque_identity t9 in
  Api.register "gen.tuplify9" (fun x ->
    List.fold_left (fun acc f -> acc + f (x, 1, 2, 3, 4, 5, 6, 7, 8)) 0
      [tf; tf]);
  let obj = Sys.opaque_identity o in
  Api.register "gen.send7" (fun x ->
    String.length (obj#m7 x 1 2 3 4 5 6) + x);
  Api.register "gen.apply19" (fun x ->
    apply19 (Sys.opaque_identity (fun a b c d e f g h i j k l m n o p q r s ->
      a + b + c + d + e + f + g + h + i + j + k + l + m + n + o + p + q + r
      + s)) x)
)";

// Another version of Api's interface, for a plugin Dynlink must refuse.
constexpr std::string_view kBadApiMli = R"(exception Boom of string
val register : string -> (int -> int) -> unit
val call : string -> int -> int
val log : string -> unit
val names : unit -> string list
val extra : int
)";

constexpr std::string_view kBadMl =
    "let () = Api.register \"bad\" (fun x -> x)\n";

// One OCaml release on one target.
struct Release {
  std::string name;    // for test names
  std::string triple;  // camlsym's --target
  // "" for 4.13.1 (the host's ocamlopt, and Debian bookworm's arm64 tree
  // under qemu); else the suite of Debian's OCaml 5.x (FindOcaml5Tree):
  // "trixie" (5.3) or "sid" (5.4).
  std::string suite;
  bool arm64() const { return triple.starts_with("aarch64"); }
};

std::string Arm64Root() {
  const char* cache = std::getenv("CAMLSYM_CACHE");
  const char* home = std::getenv("HOME");
  if (home == nullptr || *home == '\0') {
    if (const passwd* pw = getpwuid(getuid())) home = pw->pw_dir;
  }
  return cache != nullptr
             ? fmt::format("{}/arm64-ocaml", cache)
             : fmt::format("{}/.cache/camlsym/arm64-ocaml", home ? home : "");
}

// The OcamlVersion of a 5.x tree's `VERSION` ("5.3.0"), or nullopt.
std::optional<formats::OcamlVersion> Ocaml5Version(const std::string& v) {
  if (v.starts_with("5.3.")) return formats::OcamlVersion::k53;
  if (v.starts_with("5.4.")) return formats::OcamlVersion::k54;
  return std::nullopt;
}

class DynlinkTest : public ::testing::TestWithParam<Release> {
 protected:
  void SetUp() override {
    const Release& t = GetParam();
    absl::StatusOr<TargetSystem> target = TargetSystem::Parse(t.triple);
    ASSERT_TRUE(target.ok()) << target.status();
    nm_ = t.arm64() ? "aarch64-linux-gnu-nm" : "nm";
    const std::string target_flag = t.arm64() ? " --target=aarch64-linux" : "";
    if (!t.suite.empty()) {
      std::string why;
      tree_ =
          testing::FindOcaml5Tree(t.suite, t.arm64() ? "arm64" : "amd64", why);
      ASSERT_TRUE(tree_.has_value()) << why;
      std::optional<formats::OcamlVersion> version =
          Ocaml5Version(tree_->version);
      ASSERT_TRUE(version.has_value())
          << t.suite << " now has OCaml " << tree_->version
          << ", which this test does not know";
      *target = target->WithOcamlVersion(*version);
      ocamlopt_ = tree_->Tool("ocamlopt");
      run_ = t.arm64() ? tree_->Tool("run") : "";
      // dynlink.cmxa is in its own folder from 5.0; the suite's libc.
      camlsym_ = fmt::format("{} link{} --ocaml-stdlib={} -I +dynlink {}",
                             testing::CamlsymBinary(), target_flag,
                             testing::ShellQuote(tree_->stdlib), tree_->ccopts);
      RecordProperty("ocamlopt_version", tree_->version);
    } else if (t.arm64()) {
      const std::string root = Arm64Root();
      ocamlopt_ = fmt::format(
          "env OCAMLLIB={0}/usr/lib/ocaml qemu-aarch64 -L "
          "/usr/aarch64-linux-gnu {0}/usr/bin/ocamlopt.opt",
          root);
      run_ = "qemu-aarch64 -L /usr/aarch64-linux-gnu";
      camlsym_ = fmt::format("{} link{} --ocaml-stdlib={}/usr/lib/ocaml",
                             testing::CamlsymBinary(), target_flag, root);
      ASSERT_EQ(access((root + "/usr/bin/ocamlopt.opt").c_str(), X_OK), 0)
          << "the arm64 OCaml is missing under " << root
          << "; run scripts/install-deps.sh";
    } else {
      ocamlopt_ = "ocamlopt";
      run_ = "";
      camlsym_ =
          fmt::format("{} link --ocaml-stdlib={}", testing::CamlsymBinary(),
                      testing::HostStdlibDir());
    }
    absl::StatusOr<std::unique_ptr<StartupTarget>> code =
        MakeStartupTarget(*target, ObjectFile::SharedStartup());
    // Unimplemented is a failure of the code under test, not a skip.
    ASSERT_TRUE(code.ok()) << t.name << ": " << code.status();
    dir_ = testing::MakeTempDir("dynlink_" + t.name);
  }

  // Runs \p cmd in the work directory; fails the test on a non-zero exit.
  std::string Sh(const std::string& cmd) {
    testing::CommandResult r =
        RunShell(fmt::format("cd {} && ( {} ) 2>&1", dir_, cmd));
    EXPECT_EQ(r.exit_code, 0) << cmd << "\n" << r.out;
    return r.out;
  }

  // The output of main program \p exe loading the plugins of \p plugin_dir.
  std::string Run(const std::string& exe, const std::string& plugin_dir,
                  const std::string& env) {
    return RunShell(fmt::format("cd {}/{} && {} {} ../{} p1.cmxs p2.cmxs "
                                "gen.cmxs p1.cmxs bad.cmxs 2>&1; echo rc=$?",
                                dir_, plugin_dir, env, run_, exe))
        .out;
  }

  // The `TYPE NAME` lines of the dynamic symbols that \p file defines,
  // sorted (addresses left out).
  std::string DynamicSymbols(const std::string& file) {
    return Sh(fmt::format("{} -D --defined-only {} | cut -c18- | LC_ALL=C sort",
                          nm_, file));
  }

  std::optional<testing::Ocaml5Tree> tree_;  // 5.x only
  std::string ocamlopt_, run_, camlsym_, nm_, dir_;
};

TEST_P(DynlinkTest, CamlsymPluginsBehaveAsOcamloptPlugins) {
  const std::pair<std::string, std::string_view> files[] = {
      {"api.mli", kApiMli},
      {"api.ml", kApiMl},
      {"main.ml", kMainMl},
      {"p1.ml", kP1Ml},
      {"p2.ml", kP2Ml},
      {"gen.ml", kGenMl},
      {"bad/api.mli", kBadApiMli},
      {"bad/bad.ml", kBadMl}};
  Sh("mkdir -p bad oc cs");
  for (const auto& [name, text] : files) {
    ASSERT_TRUE(testing::WriteFile(dir_ + "/" + name, text));
  }
  const std::string& oc = ocamlopt_;
  Sh(
      fmt::format("{0} -g -c api.mli api.ml && {0} -g -I +dynlink -c main.ml "
                  "&& {0} -g -c p1.ml p2.ml gen.ml && cd bad && {0} -c "
                  "api.mli bad.ml",
                  oc));
  // Main programs: -linkall so that plugins find all of the stdlib.
  Sh(
      fmt::format("{} -linkall -I +dynlink dynlink.cmxa api.cmx main.cmx -o "
                  "main_oc.exe",
                  oc));
  Sh(fmt::format("{} --linkall -o main_cs.exe dynlink.cmxa api.cmx main.cmx",
                 camlsym_));
  for (const char* p : {"p1", "p2", "gen"}) {
    Sh(fmt::format("{} -shared -o oc/{}.cmxs {}.cmx", oc, p, p));
    Sh(fmt::format("{} --shared -o cs/{}.cmxs {}.cmx", camlsym_, p, p));
  }
  Sh(fmt::format("{} -shared -o oc/bad.cmxs bad/bad.cmx", oc));
  Sh(fmt::format("{} --shared -o cs/bad.cmxs bad/bad.cmx", camlsym_));
  if (HasFailure()) return;

  // The generic functions: in camlsym's plugin, in no main program.
  const std::string plugin_syms = Sh(nm_ + " -D --defined-only cs/gen.cmxs");
  for (const char* fn :
       {"caml_curry23", "caml_tuplify9", "caml_send7", "caml_apply19"}) {
    EXPECT_THAT(plugin_syms, HasSubstr(fmt::format(" T {}\n", fn)));
    for (const char* exe : {"main_oc.exe", "main_cs.exe"}) {
      EXPECT_THAT(
          Sh(fmt::format("{} {} | grep -c ' T {}$' || true", nm_, exe, fn)),
          "0\n")
          << exe << " defines " << fn;
    }
  }
  // The plugin header reads back as ocamlopt's (same units, CRCs, imports).
  const std::string inspect = testing::CamlsymBinary() + " inspect";
  for (const char* p : {"p1", "p2", "gen", "bad"}) {
    EXPECT_EQ(Sh(fmt::format("cd cs && {} {}.cmxs", inspect, p)),
              Sh(fmt::format("cd oc && {} {}.cmxs", inspect, p)));
  }

  // Dynlink finds in each plugin the symbols that ocamlopt's plugin
  // defines: the same dynamic symbols, among them caml_plugin_header, and
  // the frametable and gc_roots of `_shared_startup` and of each unit,
  // without which 5.x's caml_natdynlink_register refuses the plugin
  // ("Dynlink: Missing frametable for ...").
  for (const char* p : {"p1", "p2", "gen", "bad"}) {
    EXPECT_EQ(DynamicSymbols(fmt::format("cs/{}.cmxs", p)),
              DynamicSymbols(fmt::format("oc/{}.cmxs", p)))
        << p;
  }
  if (tree_.has_value()) {
    const std::string gen = DynamicSymbols("cs/gen.cmxs");
    for (const char* sym :
         {"D caml_plugin_header", "D caml_shared_startup.frametable",
          "D caml_shared_startup.gc_roots", "D camlGen.frametable",
          "D camlGen.gc_roots", "T camlGen.entry"}) {
      EXPECT_THAT(gen, HasSubstr(fmt::format("{}\n", sym)));
    }
  }

  const std::string reference = Run("main_oc.exe", "oc", "");
  for (const char* line : {
           "[main] p2 sees pt9 4.5\n",
           "[main] loaded gen.cmxs\n",
           "[main] refused p1.cmxs: The module `P1' is already loaded",
           "[main] refused bad.cmxs: interface mismatch on Api\n",
           "[main] gen.apply19 7 = 178\n",
           "[main] gen.curry23 7 = 279\n",
           "[main] gen.send7 7 = 14\n",
           "[main] gen.tuplify9 7 = 166\n",
           "[main] p1.boom 7 = Boom from p1 7\n",
           "[main] p1.catch 7 = -7\n",
           "[main] p1.own 7 = exn P1.Plugin_error(7)\n",
           "[main] p2.catch 7 = 7000\n",
           "[main] p2.chain 7 = 237\n",
           "[main] done\nrc=0\n",
       }) {
    EXPECT_THAT(reference, HasSubstr(line));
  }
  for (const char* env : {"", "OCAMLRUNPARAM=s=256"}) {
    for (const char* exe : {"main_oc.exe", "main_cs.exe"}) {
      for (const char* plugins : {"oc", "cs"}) {
        EXPECT_EQ(Run(exe, plugins, env), reference)
            << exe << " loading " << plugins << "/*.cmxs " << env;
      }
    }
  }
}

// The shared startup objects (`camlsym startup --shared -o x.o`, written by
// the integrated assembler) of the plugins above are the objects GNU as
// makes of the same startup text (`-o x.s`): same sections, bytes,
// relocations and symbols (CompareObjects). x86-64, the target with an
// integrated assembler; for 4.13.1 (suite "") and Debian's 5.3 and 5.4.
class DynlinkSharedStartupTest : public ::testing::TestWithParam<std::string> {
};

TEST_P(DynlinkSharedStartupTest, IntegratedObjectsAreGnuAsObjects) {
  const std::string& suite = GetParam();
  std::string ocamlopt = "ocamlopt", stdlib = testing::HostStdlibDir();
  if (!suite.empty()) {
    std::string why;
    std::optional<testing::Ocaml5Tree> tree =
        testing::FindOcaml5Tree(suite, "amd64", why);
    ASSERT_TRUE(tree.has_value()) << why;
    ocamlopt = tree->Tool("ocamlopt");
    stdlib = tree->stdlib;
    RecordProperty("ocamlopt_version", tree->version);
  }
  const std::string dir =
      testing::MakeTempDir("dynlink_shared_startup" + suite);
  const std::pair<std::string, std::string_view> files[] = {
      {"api.mli", kApiMli},
      {"api.ml", kApiMl},
      {"p1.ml", kP1Ml},
      {"p2.ml", kP2Ml},
      {"gen.ml", kGenMl}};
  for (const auto& [name, text] : files) {
    ASSERT_TRUE(testing::WriteFile(dir + "/" + name, text));
  }
  auto sh = [&](const std::string& cmd) {
    testing::CommandResult r =
        RunShell(fmt::format("cd {} && ( {} ) 2>&1", dir, cmd));
    EXPECT_EQ(r.exit_code, 0) << cmd << "\n" << r.out;
    return r.out;
  };
  sh(ocamlopt + " -g -c api.mli api.ml p1.ml p2.ml gen.ml");
  ASSERT_FALSE(::testing::Test::HasFailure());
  const std::string startup =
      fmt::format("{} startup --shared --ocaml-stdlib={}",
                  testing::CamlsymBinary(), testing::ShellQuote(stdlib));
  for (const char* p : {"p1", "p2", "gen"}) {
    SCOPED_TRACE(p);
    sh(
        fmt::format("{0} -o {1}.startup.s {1}.cmx && as -o {1}.gas.o "
                    "{1}.startup.s && {0} -o {1}.integrated.o {1}.cmx",
                    startup, p));
    if (::testing::Test::HasFailure()) return;
    EXPECT_EQ(
        testing::CompareObjects(fmt::format("{}/{}.gas.o", dir, p),
                                fmt::format("{}/{}.integrated.o", dir, p)),
        "");
    // A shared startup: the plugin header, no caml_program.
    const std::string symbols =
        sh(fmt::format("nm --defined-only {}.integrated.o", p));
    EXPECT_THAT(symbols, HasSubstr(" caml_plugin_header\n"));
    EXPECT_THAT(symbols, ::testing::Not(HasSubstr(" caml_program\n")));
  }
  // gen's startup holds the generic functions only it needs.
  const std::string gen = sh("nm --defined-only gen.integrated.o");
  for (const char* fn :
       {"caml_curry23", "caml_tuplify9", "caml_send7", "caml_apply19"}) {
    EXPECT_THAT(gen, HasSubstr(fmt::format(" T {}\n", fn)));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Releases, DynlinkTest,
    ::testing::Values(Release{"ocaml413_x86_64", "x86_64-linux", ""},
                      Release{"ocaml413_aarch64", "aarch64-linux", ""},
                      Release{"ocaml53_x86_64", "x86_64-linux", "trixie"},
                      Release{"ocaml54_x86_64", "x86_64-linux", "sid"},
                      Release{"ocaml53_aarch64", "aarch64-linux", "trixie"},
                      Release{"ocaml54_aarch64", "aarch64-linux", "sid"}),
    [](const ::testing::TestParamInfo<Release>& i) { return i.param.name; });

INSTANTIATE_TEST_SUITE_P(Releases, DynlinkSharedStartupTest,
                         ::testing::Values("", "trixie", "sid"),
                         [](const ::testing::TestParamInfo<std::string>& i) {
                           return i.param.empty() ? std::string("ocaml413")
                                  : i.param == "trixie"
                                      ? std::string("ocaml53")
                                      : std::string("ocaml54");
                         });

}  // namespace
}  // namespace camlsym
