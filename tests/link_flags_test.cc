// ocamlopt's link flags given to `camlsym link`, each checked against what
// the real ocamlopt 4.13.1 does with the same flag: programs run alike,
// outputs are named alike, and the C toolchain gets the same options.
#include "camlsym/tests/corpus.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class OcamloptFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = MakeTempDir("ocamlopt_flags"); }

  CommandResult Sh(const std::string& cmd) {
    return RunShell(
        fmt::format("cd {} && {{ {} ; }} 2>&1", ShellQuote(dir_), cmd));
  }
  CommandResult Camlsym(const std::string& args) {
    return Sh(fmt::format("{} {}", CamlsymBinary(), args));
  }
  void Compile(const std::string& name, const std::string& source,
               const std::string& flags = "") {
    WriteFile(dir_ + "/" + name, source);
    CommandResult r = Sh(fmt::format("ocamlopt {} -c {}", flags, name));
    ASSERT_EQ(r.exit_code, 0) << r.out;
  }

  std::string dir_;
};

TEST_F(OcamloptFlagsTest, ThreadsProgramRunsLikeOcamlopts) {
  Compile("t.ml",
          "let m = Mutex.create () and n = ref 0\n"
          "let work k = for _ = 1 to 1000 do Mutex.lock m; n := !n + k; "
          "Mutex.unlock m; Thread.yield () done\n"
          "let () = let ts = List.map (Thread.create work) [1; 2; 3] in\n"
          "  List.iter Thread.join ts; Printf.printf \"%d\\n\" !n\n",
          "-I +threads");
  CommandResult o =
      Sh("ocamlopt -I +threads unix.cmxa threads.cmxa t.cmx -o o.exe && "
         "./o.exe");
  ASSERT_EQ(o.exit_code, 0) << o.out;
  ASSERT_EQ(o.out, "6000\n");
  CommandResult c =
      Camlsym("link -I +threads unix.cmxa threads.cmxa t.cmx -o c.exe");
  ASSERT_EQ(c.exit_code, 0) << c.out;
  EXPECT_EQ(Sh("./c.exe").out, o.out);
}

TEST_F(OcamloptFlagsTest, OutputObjEmbedsInACMain) {
  Compile("e.ml",
          "let twice x = 2 * x\n"
          "let () = Callback.register \"twice\" twice;\n"
          "  print_endline \"ocaml initialised\"\n");
  WriteFile(dir_ + "/main.c",
            "#include <stdio.h>\n"
            "#include <caml/callback.h>\n"
            "#include <caml/mlvalues.h>\n"
            "int main(int argc, char** argv) {\n"
            "  caml_startup(argv);\n"
            "  const value* f = caml_named_value(\"twice\");\n"
            "  printf(\"%ld\\n\", (long)Long_val(caml_callback(*f, "
            "Val_long(21))));\n"
            "  return 0;\n"
            "}\n");
  const std::string cc =
      "gcc -I\"$(ocamlopt -where)\" main.c -o {exe} {obj} {libs}";
  const std::string runtime = "-L\"$(ocamlopt -where)\" -lasmrun -lm -ldl";
  for (const char* flag : {"-output-obj", "-output-complete-obj"}) {
    SCOPED_TRACE(flag);
    const std::string libs =
        std::string(flag) == "-output-obj" ? runtime : "-lm -ldl";
    CommandResult o =
        Sh(fmt::format("ocamlopt {} -o o.o e.cmx && ", flag) +
           fmt::format(fmt::runtime(cc), fmt::arg("exe", "o.exe"),
                       fmt::arg("obj", "o.o"), fmt::arg("libs", libs)) +
           " && ./o.exe");
    ASSERT_EQ(o.exit_code, 0) << o.out;
    ASSERT_EQ(o.out, "ocaml initialised\n42\n");
    CommandResult c = Camlsym(fmt::format("link {} -o c.o e.cmx", flag));
    ASSERT_EQ(c.exit_code, 0) << c.out;
    EXPECT_EQ(Sh("readelf -h c.o | grep -c 'REL (Relocatable file)'").out,
              "1\n");
    CommandResult run =
        Sh(fmt::format(fmt::runtime(cc), fmt::arg("exe", "c.exe"),
                       fmt::arg("obj", "c.o"), fmt::arg("libs", libs)) +
           " && ./c.exe");
    EXPECT_EQ(run.exit_code, 0) << run.out;
    EXPECT_EQ(run.out, o.out);
    // The complete object has the runtime; the plain one needs it.
    EXPECT_EQ(Sh("nm c.o | grep -c ' T caml_main$'").out,
              std::string(flag) == "-output-obj" ? "0\n" : "1\n");
  }
}

// -output-obj -o X.so: a shared object with the OCaml program, the C
// objects given, the runtime (its position-independent variant) and the C
// libraries, as ocamlopt's (asmlink.ml call_linker, main_dll): a C main
// linked with it and one that dlopens it call the C function it exports,
// which starts OCaml, and both run as with ocamlopt's; the file gets the
// mode gcc gives ocamlopt's (0777 & ~umask).
TEST_F(OcamloptFlagsTest, OutputObjSharedObjectLinksAndDlopens) {
  Compile("e.ml",
          "let twice x = 2 * x\n"
          "let () = Callback.register \"twice\" twice;\n"
          "  print_endline \"ocaml initialised\"\n");
  WriteFile(dir_ + "/lib.c",
            "#include <caml/callback.h>\n"
            "#include <caml/mlvalues.h>\n"
            "long ocaml_twice(long x) {\n"
            "  static char* argv[] = {\"lib\", 0};\n"
            "  static int started = 0;\n"
            "  if (!started) { caml_startup(argv); started = 1; }\n"
            "  return Long_val(caml_callback(*caml_named_value(\"twice\"), "
            "Val_long(x)));\n"
            "}\n");
  WriteFile(dir_ + "/main.c",
            "#include <stdio.h>\n"
            "long ocaml_twice(long);\n"
            "int main(void) { printf(\"%ld\\n\", ocaml_twice(21)); "
            "return 0; }\n");
  WriteFile(dir_ + "/dl.c",
            "#include <dlfcn.h>\n"
            "#include <stdio.h>\n"
            "int main(int argc, char** argv) {\n"
            "  void* h = dlopen(argv[1], RTLD_NOW);\n"
            "  if (h == 0) { printf(\"%s\\n\", dlerror()); return 1; }\n"
            "  long (*f)(long) = (long (*)(long))dlsym(h, \"ocaml_twice\");\n"
            "  if (f == 0) { printf(\"no ocaml_twice\\n\"); return 1; }\n"
            "  printf(\"%ld\\n\", f(21));\n"
            "  return 0;\n"
            "}\n");
  ASSERT_EQ(Sh("gcc -fPIC -I\"$(ocamlopt -where)\" -c lib.c && "
               "gcc dl.c -o dl.exe -ldl")
                .exit_code,
            0);
  const std::string flags = "-output-obj -runtime-variant _pic";
  CommandResult o = Sh(fmt::format("ocamlopt {} -o o.so lib.o e.cmx", flags));
  ASSERT_EQ(o.exit_code, 0) << o.out;
  CommandResult c = Camlsym(fmt::format("link {} -o c.so lib.o e.cmx", flags));
  ASSERT_EQ(c.exit_code, 0) << c.out;
  EXPECT_EQ(Sh("readelf -h c.so | grep -c 'DYN (Shared object file)'").out,
            "1\n");
  EXPECT_EQ(Sh("stat -c %a c.so").out, Sh("stat -c %a o.so").out);
  for (const char* so : {"o.so", "c.so"}) {
    SCOPED_TRACE(so);
    CommandResult built =
        Sh(fmt::format("gcc main.c -o {0}.exe ./{0} && ./{0}.exe", so));
    EXPECT_EQ(built.exit_code, 0) << built.out;
    EXPECT_EQ(built.out, "ocaml initialised\n42\n");
    CommandResult loaded = Sh(fmt::format("./dl.exe ./{}", so));
    EXPECT_EQ(loaded.exit_code, 0) << loaded.out;
    EXPECT_EQ(loaded.out, "ocaml initialised\n42\n");
  }
}

TEST_F(OcamloptFlagsTest, CcWithArgumentsCcoptAndCclib) {
  Compile("s.ml",
          "external stub : int -> int = \"camlsym_stub\"\n"
          "let () = Printf.printf \"%d\\n\" (stub 20)\n");
  WriteFile(dir_ + "/stub.c",
            "#include <caml/mlvalues.h>\n"
            "value camlsym_stub(value x) { return Val_long(Long_val(x) + 1); "
            "}\n");
  ASSERT_EQ(Sh("gcc -I\"$(ocamlopt -where)\" -c stub.c && ar rcs "
               "libstub.a stub.o")
                .exit_code,
            0);
  // -cc with arguments (a static executable), -ccopt twice (in order,
  // before the libraries' options), -cclib after the objects.
  CommandResult c = Camlsym(
      "link --verbose -cc 'x86_64-linux-gnu-gcc -static' -ccopt -L. "
      "-ccopt -Wl,-Map=c.map s.cmx -cclib -lstub -o c.exe");
  ASSERT_EQ(c.exit_code, 0) << c.out;
  EXPECT_THAT(c.out, HasSubstr("x86_64-linux-gnu-gcc -static -o"));
  EXPECT_THAT(c.out, HasSubstr("-L. -Wl,-Map=c.map"));
  EXPECT_EQ(Sh("./c.exe").out, "21\n");
  EXPECT_EQ(Sh("test -s c.map && echo map").out, "map\n");
  EXPECT_THAT(Sh("file c.exe").out, HasSubstr("statically linked"));
  // ocamlopt's command for the same flags.
  CommandResult o =
      Sh("ocamlopt -verbose -cc 'x86_64-linux-gnu-gcc -static' -ccopt -L. "
         "-ccopt -Wl,-Map=o.map s.cmx -cclib -lstub -o o.exe && ./o.exe");
  ASSERT_EQ(o.exit_code, 0) << o.out;
  EXPECT_THAT(o.out, HasSubstr("21\n"));
}

TEST_F(OcamloptFlagsTest, NoautolinkDropsTheLibrariesCOptions) {
  Compile("u.ml",
          "let () = print_int (Unix.getpid () * 0); print_newline ()\n");
  // As ocamlopt: without unix.cmxa's -lunix the link fails, and -cclib
  // gives it back.
  CommandResult o = Sh("ocamlopt -noautolink unix.cmxa u.cmx -o o.exe");
  EXPECT_NE(o.exit_code, 0);
  CommandResult c = Camlsym("link -noautolink unix.cmxa u.cmx -o c.exe");
  EXPECT_EQ(c.exit_code, 1) << c.out;
  EXPECT_THAT(c.out, HasSubstr("unix"));
  CommandResult ok =
      Camlsym("link -noautolink unix.cmxa u.cmx -cclib -lunix -o c.exe");
  ASSERT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_EQ(Sh("./c.exe").out, "0\n");
}

TEST_F(OcamloptFlagsTest, RuntimeVariantLinksThatRuntime) {
  Compile("a.ml", "let () = print_endline \"a\"\n");
  CommandResult o = Sh("ocamlopt -runtime-variant d a.cmx -o o.exe && ./o.exe");
  ASSERT_EQ(o.exit_code, 0) << o.out;
  CommandResult c = Camlsym("link --verbose -runtime-variant d a.cmx -o c.exe");
  ASSERT_EQ(c.exit_code, 0) << c.out;
  EXPECT_THAT(c.out, HasSubstr("libasmrund.a"));
  // The debug runtime announces itself, as in ocamlopt's program.
  EXPECT_THAT(o.out, HasSubstr("debug mode"));
  EXPECT_EQ(Sh("./c.exe").out, o.out);
  CommandResult i = Camlsym("link -runtime-variant i a.cmx -o i.exe");
  ASSERT_EQ(i.exit_code, 0) << i.out;
  EXPECT_EQ(Sh("./i.exe").out, "a\n");
}

TEST_F(OcamloptFlagsTest, StartupNamesDefaultOutputVersionAndStdout) {
  Compile("a.ml", "let () = print_endline \"a\"\n");
  // -dstartup keeps OUTPUT.startup.s, as ocamlopt names it.
  ASSERT_EQ(Sh("ocamlopt -dstartup -o o.exe a.cmx").exit_code, 0);
  ASSERT_EQ(Sh("test -s o.exe.startup.s").exit_code, 0);
  CommandResult d = Camlsym("link -dstartup -o c.exe a.cmx");
  ASSERT_EQ(d.exit_code, 0) << d.out;
  EXPECT_EQ(Sh("test -s c.exe.startup.s").exit_code, 0);
  // -S alone keeps no startup, as ocamlopt.
  ASSERT_EQ(Sh("ocamlopt -S -o o2.exe a.cmx").exit_code, 0);
  ASSERT_EQ(Camlsym("link -S -o c2.exe a.cmx").exit_code, 0);
  EXPECT_EQ(Sh("ls o2.exe.startup.s c2.exe.startup.s 2>/dev/null | wc -l").out,
            "0\n");
  // -o defaults to a.out.
  ASSERT_EQ(Camlsym("link a.cmx").exit_code, 0);
  EXPECT_EQ(Sh("./a.out").out, "a\n");
  // -v: as ocamlopt -v, the standard library directory.
  CommandResult v = Camlsym("link -v");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_THAT(v.out, HasSubstr(fmt::format("Standard library directory: {}\n",
                                           HostStdlibDir())));
  EXPECT_EQ(Camlsym("startup --version").exit_code, 0);
  // startup -o - writes the same assembly to standard output.
  ASSERT_EQ(Camlsym("startup -o s.s a.cmx").exit_code, 0);
  CommandResult out = RunShell(fmt::format("cd {} && {} startup -o - a.cmx",
                                           ShellQuote(dir_), CamlsymBinary()));
  ASSERT_EQ(out.exit_code, 0);
  EXPECT_EQ(out.out, ReadFile(dir_ + "/s.s"));
  EXPECT_EQ(Sh("ls -A | grep camlsym || true").out, "");
}

TEST_F(OcamloptFlagsTest, ForeignObjectIsRefusedBeforeAnyTool) {
  Compile("a.ml", "let () = print_endline \"a\"\n");
  WriteFile(dir_ + "/f.c", "int f(void) { return 1; }\n");
  ASSERT_EQ(Sh("aarch64-linux-gnu-gcc -c f.c -o arm.o && gcc -c f.c -o "
               "native.o && ar rcs libmixed.a native.o arm.o")
                .exit_code,
            0);
  CommandResult o = Camlsym("link --verbose -o p a.cmx arm.o");
  EXPECT_EQ(o.exit_code, 1) << o.out;
  EXPECT_THAT(o.out, HasSubstr("arm.o was built for AArch64 (EM_AARCH64), "
                               "but the target is x86_64-linux (x86-64 "
                               "(EM_X86_64))"));
  EXPECT_THAT(o.out, Not(HasSubstr("+ ")));  // No tool ran.
  CommandResult a = Camlsym("link --verbose -o p a.cmx libmixed.a");
  EXPECT_EQ(a.exit_code, 1) << a.out;
  EXPECT_THAT(a.out, HasSubstr("libmixed.a(arm.o) was built for AArch64"));
  EXPECT_THAT(a.out, Not(HasSubstr("+ ")));
  // The host's objects for AArch64: the stdlib's archive is refused.
  CommandResult t = Camlsym(
      fmt::format("link --target=aarch64-linux --ocaml-stdlib={} -o p a.cmx",
                  HostStdlibDir()));
  EXPECT_EQ(t.exit_code, 1) << t.out;
  EXPECT_THAT(t.out, HasSubstr("was built for x86-64 (EM_X86_64), but the "
                               "target is aarch64-linux"));
  EXPECT_EQ(Sh("ls -A | grep -e camlsym -e '^p$' || true").out, "");
}

}  // namespace
}  // namespace camlsym::testing
