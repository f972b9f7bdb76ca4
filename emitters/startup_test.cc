#include "camlsym/emitters/startup.h"

#include <string>

#include "camlsym/target_system/target_system.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

size_t Pos(const std::string& text, std::string_view what) {
  size_t p = text.find(what);
  EXPECT_NE(p, std::string::npos) << what;
  return p;
}

// The modules of units named \p names, none packed.
std::vector<LinkedModule> Modules(std::vector<std::string_view> names) {
  std::vector<LinkedModule> out;
  for (std::string_view n : names) {
    CompilationUnit unit = CompilationUnit::Parse(n).value();
    out.push_back(LinkedModule{unit, ObjectFile::OtherUnit(unit)});
  }
  return out;
}

StartupSpec SmallSpec() {
  StartupSpec spec;
  spec.modules = Modules({"Stdlib", "A", "Std_exit"});
  spec.curry = {-2, 3, 17};
  spec.apply = {5};
  spec.send = {0, 2};
  spec.globals_map = "map";
  return spec;
}

// SmallSpec() for OCaml \p v on \p triple.
std::string Ocaml5Startup(std::string_view triple, formats::OcamlVersion v) {
  StartupSpec spec = SmallSpec();
  spec.ocaml_version = v;
  absl::StatusOr<std::string> s = MakeStartupFile(
      TargetSystem::Parse(triple).value().WithOcamlVersion(v), spec);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.value_or("");
}

// x86-64 frames as `ocamlopt -dstartup -S` of Debian's 5.3.0 and 5.4.1
// lays them out: caml_apply3 (return address and two locals, 24 bytes,
// unrounded from 5.2) checks `leaq -336(%rsp), %r10` and lowers the stack
// by 16; caml_curryN allocates with no frame of its own; 5.4 types the
// frame table, 5.3 does not.
TEST(StartupTest, X86_64Ocaml5FramesAreUnrounded) {
  for (formats::OcamlVersion v :
       {formats::OcamlVersion::k53, formats::OcamlVersion::k54}) {
    const std::string t = Ocaml5Startup("x86_64-linux", v);
    EXPECT_NE(t.find("caml_apply3:\n\t.cfi_startproc\n\tleaq\t-336(%rsp), "
                     "%r10\n\tcmpq\t40(%r14), %r10\n\tjb\t.L"),
              std::string::npos);
    const size_t apply3 = t.find("caml_apply3:");
    EXPECT_NE(t.find("\tsubq\t$16, %rsp\n", apply3), std::string::npos);
    EXPECT_NE(t.find("caml_curry3:\n\t.cfi_startproc\n\tsubq\t$48, %r15\n"),
              std::string::npos);
    EXPECT_EQ(t.find("\t.type caml_startup.frametable,@object\n") !=
                  std::string::npos,
              v == formats::OcamlVersion::k54);
  }
  // 4.13 rounds: the same caml_apply3 has a 32-byte frame.
  absl::StatusOr<std::string> old =
      MakeStartupFile(TargetSystem::Parse("x86_64-linux").value(), SmallSpec());
  ASSERT_TRUE(old.ok()) << old.status();
  const size_t apply3 = old->find("caml_apply3:");
  EXPECT_NE(old->find("\tsubq\t$24, %rsp\n", apply3), std::string::npos);
  EXPECT_EQ(old->find(".type caml_startup__frametable"), std::string::npos);
}

// Both targets write 4.13, 5.3 and 5.4 startups, and refuse 5.1 and 5.2
// (their domain state and prologues are not written).
TEST(StartupTest, VersionsEachTargetWrites) {
  for (std::string_view triple : {"x86_64-linux", "aarch64-linux"}) {
    for (formats::OcamlVersion v : formats::kOcamlVersions) {
      const TargetSystem t =
          TargetSystem::Parse(triple).value().WithOcamlVersion(v);
      absl::StatusOr<std::unique_ptr<StartupTarget>> code =
          MakeStartupTarget(t, ObjectFile::Startup());
      const bool written = v == formats::OcamlVersion::k413 ||
                           v == formats::OcamlVersion::k53 ||
                           v == formats::OcamlVersion::k54;
      EXPECT_EQ(code.ok(), written) << triple << " " << formats::VersionName(v);
      if (!written) {
        EXPECT_EQ(code.status().code(), absl::StatusCode::kUnimplemented);
        EXPECT_NE(
            std::string(code.status().message()).find(formats::VersionName(v)),
            std::string::npos)
            << code.status();
      }
    }
  }
}

TEST(StartupTest, OrderAndContents) {
  absl::StatusOr<std::string> s =
      MakeStartupFile(TargetSystem::Parse("x86_64-linux").value(), SmallSpec());
  ASSERT_TRUE(s.ok()) << s.status();
  const std::string& t = *s;
  // Curry descending (the >15 chain has no _app), tuplify, send, apply.
  size_t p17 = Pos(t, "\ncaml_curry17:");
  EXPECT_EQ(t.find("caml_curry17_1_app"), std::string::npos);
  size_t p16 = Pos(t, "\ncaml_curry17_16:");
  size_t p3 = Pos(t, "\ncaml_curry3:");
  size_t p3app = Pos(t, "\ncaml_curry3_1_app:");
  size_t p3_1 = Pos(t, "\ncaml_curry3_1:");
  size_t p3_2 = Pos(t, "\ncaml_curry3_2:");
  size_t tup = Pos(t, "\ncaml_tuplify2:");
  size_t s2 = Pos(t, "\ncaml_send2:");
  size_t s0 = Pos(t, "\ncaml_send0:");
  size_t a5 = Pos(t, "\ncaml_apply5:");
  size_t a3 = Pos(t, "\ncaml_apply3:");
  size_t a2 = Pos(t, "\ncaml_apply2:");
  size_t exn = Pos(t, "\ncaml_exn_Out_of_memory:");
  EXPECT_LT(Pos(t, "\ncaml_program:"), p17);
  EXPECT_LT(p17, p16);
  EXPECT_LT(p16, p3);
  EXPECT_LT(p3, p3app);
  EXPECT_LT(p3app, p3_1);
  EXPECT_LT(p3_1, p3_2);
  EXPECT_LT(p3_2, tup);
  EXPECT_LT(tup, s2);
  EXPECT_LT(s2, s0);
  EXPECT_LT(s0, a5);
  EXPECT_LT(a5, a3);
  EXPECT_LT(a3, a2);
  EXPECT_LT(a2, exn);
  // Units in link order, in caml_program's table of entries.
  EXPECT_LT(Pos(t, ".quad\tcamlStdlib__entry\n"),
            Pos(t, ".quad\tcamlA__entry\n"));
  EXPECT_NE(t.find("call\t*%rax"), std::string::npos);
  // Closure info words: caml_curry3 makes (arity 2, startenv 3), a
  // 5-field closure; caml_curry17 makes (arity 1, startenv 2).
  EXPECT_NE(t.find("$144115188075855879"), std::string::npos);
  EXPECT_NE(t.find("$72057594037927941"), std::string::npos);
  EXPECT_NE(t.find("movq\t$5367, -8(%rdi)"), std::string::npos);
  // Exceptions: header, name, Val_long(-i-1).
  EXPECT_NE(t.find("\t.quad\t3064\n\t.globl\tcaml_exn_Sys_error\n"
                   "caml_exn_Sys_error:\n\t.quad\tcaml_startup__2\n"
                   "\t.quad\t-3\n"),
            std::string::npos);
  // Globals map string: 3 bytes, 4 bytes of padding.
  EXPECT_NE(t.find("\t.quad\t2044\n\t.globl\tcaml_globals_map\n"
                   "caml_globals_map:\n\t.ascii\t\"map\"\n\t.space\t4\n"
                   "\t.byte\t4\n"),
            std::string::npos);
  EXPECT_NE(t.find("caml_frametable:\n\t.quad\tcaml_startup__frametable\n"
                   "\t.quad\tcaml_system__frametable\n"
                   "\t.quad\tcamlStdlib__frametable\n"),
            std::string::npos);
  EXPECT_NE(t.find("caml_code_segments:\n\t.quad\tcaml_startup__code_begin\n"),
            std::string::npos);
  EXPECT_NE(t.find("caml_globals:\n\t.quad\tcamlStdlib__gc_roots\n"),
            std::string::npos);
  EXPECT_TRUE(t.ends_with("\t.section .note.GNU-stack,\"\",%progbits\n"));
}

TEST(StartupTest, FunctionSectionsListHot) {
  StartupSpec spec = SmallSpec();
  spec.function_sections = true;
  std::string t =
      MakeStartupFile(TargetSystem::Parse("x86_64-linux").value(), spec)
          .value();
  EXPECT_NE(t.find("caml_code_segments:\n\t.quad\tcaml_hot__code_begin\n"
                   "\t.quad\tcaml_hot__code_end\n"),
            std::string::npos);
}

TEST(StartupTest, Errors) {
  const TargetSystem x86 = TargetSystem::Parse("x86_64-linux").value();
  StartupSpec spec;
  for (int bad : {-1, 0, 1, 127}) {
    spec = SmallSpec();
    spec.curry.insert(bad);
    EXPECT_EQ(MakeStartupFile(x86, spec).status().code(),
              absl::StatusCode::kInvalidArgument)
        << bad;
  }
  spec = SmallSpec();
  spec.apply.insert(1);
  EXPECT_EQ(MakeStartupFile(x86, spec).status().code(),
            absl::StatusCode::kInvalidArgument);
  spec = SmallSpec();
  spec.send.insert(-1);
  EXPECT_EQ(MakeStartupFile(x86, spec).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(
      MakeStartupFile(TargetSystem::Parse("aarch64-linux").value(), SmallSpec())
          .ok());
  // The stream must write the startup file.
  AsmContext ctx(x86.asm_syntax(), ObjectFile::SharedStartup());
  DirectiveStream out(ctx);
  auto code = MakeStartupTarget(x86, ObjectFile::SharedStartup()).value();
  EXPECT_EQ(EmitStartup(SmallSpec(), *code, out).code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST(StartupTest, SharedStartup) {
  SharedStartupSpec spec;
  spec.units = Modules({"Plugin"});
  spec.curry = {2};
  spec.plugin_header = "hdr";
  std::string t =
      MakeSharedStartupFile(TargetSystem::Parse("x86_64-linux").value(), spec)
          .value();
  EXPECT_EQ(t.find("caml_apply2"), std::string::npos);
  EXPECT_EQ(t.find("caml_program"), std::string::npos);
  EXPECT_NE(t.find("\ncaml_curry2_1:"), std::string::npos);
  EXPECT_NE(t.find("caml_plugin_header:\n\t.ascii\t\"hdr\"\n"),
            std::string::npos);
  EXPECT_NE(t.find("caml_globals:\n\t.quad\tcamlPlugin__gc_roots\n"
                   "\t.quad\t0\n"),
            std::string::npos);
  EXPECT_NE(t.find("caml_shared_startup__frametable:"), std::string::npos);
}

}  // namespace
}  // namespace camlsym
