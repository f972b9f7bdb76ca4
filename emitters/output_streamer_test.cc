// The printer-or-object-writer choice (output_streamer.h), made once from
// the target: which forms a caller that needs an object file gets on each
// target (asmgen.ml `compile_unit`'s `create_asm`), the error when an
// object is demanded where the integrated assembler has no backend, and
// that one streamed emission gives the same bytes as the separate forms
// and as printing the stored directives.
#include "camlsym/emitters/output_streamer.h"

#include <string>
#include <vector>

#include "camlsym/emitters/asm_printer.h"
#include "camlsym/emitters/startup.h"
#include "camlsym/target_system/target_system.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

TargetSystem Target(std::string_view triple) {
  return TargetSystem::Parse(triple).value();
}

StartupSpec SmallSpec() {
  StartupSpec spec;
  for (std::string_view n : {"Stdlib", "A", "Std_exit"}) {
    CompilationUnit unit = CompilationUnit::Parse(n).value();
    spec.modules.push_back(LinkedModule{unit, ObjectFile::OtherUnit(unit)});
  }
  spec.curry = {-2, 3};
  spec.apply = {5};
  spec.send = {1};
  spec.globals_map = "map";
  return spec;
}

TEST(FormsForObjectFileTest, ObjectFromTheIntegratedAssemblerOnElf) {
  for (std::string_view triple : {"x86_64-linux", "aarch64-linux"}) {
    const TargetSystem t = Target(triple);
    OutputForms f = FormsForObjectFile(t, {});
    EXPECT_TRUE(f.object) << triple;
    EXPECT_FALSE(f.assembly) << triple;
    // -S / -dstartup: the text as well, from the same emission.
    f = FormsForObjectFile(t, {.keep_assembly = true});
    EXPECT_TRUE(f.object) << triple;
    EXPECT_TRUE(f.assembly) << triple;
    // A named assembler: the text only, for it to assemble.
    f = FormsForObjectFile(t, {.integrated_assembler = false});
    EXPECT_FALSE(f.object) << triple;
    EXPECT_TRUE(f.assembly) << triple;
  }
}

TEST(FormsForObjectFileTest, AssemblyOnlyWhereNoObjectWriter) {
  // Mach-O has no backend in the integrated assembler: the caller gets the
  // text and runs the target's assembler, whatever it preferred.
  for (std::string_view triple : {"aarch64-macos", "x86_64-macos"}) {
    const TargetSystem t = Target(triple);
    for (bool keep : {false, true}) {
      const OutputForms f = FormsForObjectFile(
          t, {.integrated_assembler = true, .keep_assembly = keep});
      EXPECT_FALSE(f.object) << triple;
      EXPECT_TRUE(f.assembly) << triple;
    }
  }
}

TEST(OutputStreamerTest, ObjectDemandedWithoutObjectWriterIsUnimplemented) {
  const TargetSystem mac = Target("aarch64-macos");
  absl::StatusOr<std::unique_ptr<OutputStreamer>> s =
      OutputStreamer::Create(mac, {.assembly = true, .object = true});
  ASSERT_EQ(s.status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_NE(s.status().message().find("aarch64-macos"), std::string::npos)
      << s.status();
  // The same through the startup, which never reaches the emitters.
  absl::StatusOr<OutputFiles> files =
      MakeStartupFiles(mac, SmallSpec(), {.object = true});
  EXPECT_EQ(files.status().code(), absl::StatusCode::kUnimplemented);
  // With the forms chosen for the target: assembly only.
  files = MakeStartupFiles(mac, SmallSpec(), FormsForObjectFile(mac, {}));
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_NE(files->assembly.find("_caml_program:"), std::string::npos);
  EXPECT_TRUE(files->object.empty());
}

TEST(OutputStreamerTest, NoFormIsInvalidArgument) {
  EXPECT_EQ(OutputStreamer::Create(Target("x86_64-linux"), {}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(OutputStreamerTest, BothFormsFromOneEmissionEqualEachAlone) {
  for (std::string_view triple : {"x86_64-linux", "aarch64-linux"}) {
    const TargetSystem t = Target(triple);
    absl::StatusOr<OutputFiles> both =
        MakeStartupFiles(t, SmallSpec(), {.assembly = true, .object = true});
    absl::StatusOr<OutputFiles> text =
        MakeStartupFiles(t, SmallSpec(), {.assembly = true});
    absl::StatusOr<OutputFiles> object =
        MakeStartupFiles(t, SmallSpec(), {.object = true});
    ASSERT_TRUE(both.ok()) << both.status();
    ASSERT_TRUE(text.ok()) << text.status();
    ASSERT_TRUE(object.ok()) << object.status();
    EXPECT_EQ(both->assembly, text->assembly) << triple;
    EXPECT_EQ(both->object, object->object) << triple;
    EXPECT_TRUE(text->object.empty());
    EXPECT_TRUE(object->assembly.empty());
    // An ELF relocatable object.
    EXPECT_EQ(object->object.substr(0, 4),
              "\x7f"
              "ELF")
        << triple;
  }
}

TEST(OutputStreamerTest, StreamedTextEqualsPrintingTheStoredDirectives) {
  for (std::string_view triple :
       {"x86_64-linux", "aarch64-linux", "aarch64-macos"}) {
    const TargetSystem t = Target(triple);
    AsmContext ctx(t.asm_syntax(), ObjectFile::Startup());
    DirectiveStream stored(ctx);
    std::unique_ptr<StartupTarget> code =
        MakeStartupTarget(t, ObjectFile::Startup()).value();
    ASSERT_TRUE(EmitStartup(SmallSpec(), *code, stored).ok());
    absl::StatusOr<std::string> printed =
        GasPrinter(t.asm_syntax()).PrintAll(stored.directives());
    ASSERT_TRUE(printed.ok()) << printed.status();
    absl::StatusOr<std::string> streamed = MakeStartupFile(t, SmallSpec());
    ASSERT_TRUE(streamed.ok()) << streamed.status();
    EXPECT_EQ(*streamed, *printed) << triple;
  }
}

TEST(OutputStreamerTest, WriteElfObjectEqualsTheStreamedObject) {
  const TargetSystem t = Target("x86_64-linux");
  AsmContext ctx(t.asm_syntax(), ObjectFile::Startup());
  DirectiveStream stored(ctx);
  std::unique_ptr<StartupTarget> code =
      MakeStartupTarget(t, ObjectFile::Startup()).value();
  ASSERT_TRUE(EmitStartup(SmallSpec(), *code, stored).ok());
  absl::StatusOr<std::string> written = WriteElfObject(t, stored);
  ASSERT_TRUE(written.ok()) << written.status();
  absl::StatusOr<OutputFiles> streamed =
      MakeStartupFiles(t, SmallSpec(), {.object = true});
  ASSERT_TRUE(streamed.ok()) << streamed.status();
  EXPECT_EQ(*written, streamed->object);
}

}  // namespace
}  // namespace camlsym
