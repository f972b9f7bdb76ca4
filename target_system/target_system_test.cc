#include "camlsym/target_system/target_system.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::testing::HasSubstr;

TEST(TargetSystemTest, ParsesSupportedTriples) {
  absl::StatusOr<TargetSystem> x86 = TargetSystem::Parse("x86_64-linux");
  ASSERT_TRUE(x86.ok()) << x86.status();
  EXPECT_EQ(x86->architecture(), Architecture::kX86_64);
  EXPECT_EQ(x86->os(), OperatingSystem::kLinux);
  EXPECT_EQ(x86->object_format(), ObjectFormat::kElf);
  EXPECT_EQ(x86->assembler_dialect(), AssemblerDialect::kGnuAs);
  EXPECT_EQ(x86->word_size_bytes(), 8);
  EXPECT_EQ(x86->OcamlArchitectureName(), "amd64");
  EXPECT_EQ(x86->DefaultAssembler(), "x86_64-linux-gnu-as");

  absl::StatusOr<TargetSystem> arm = TargetSystem::Parse("aarch64-linux-gnu");
  ASSERT_TRUE(arm.ok()) << arm.status();
  EXPECT_EQ(arm->Triple(), "aarch64-linux");
  EXPECT_EQ(arm->OcamlArchitectureName(), "arm64");
  EXPECT_EQ(arm->DefaultCCompiler(), "aarch64-linux-gnu-gcc");

  absl::StatusOr<TargetSystem> mac = TargetSystem::Parse("aarch64-macos");
  ASSERT_TRUE(mac.ok()) << mac.status();
  EXPECT_EQ(mac->object_format(), ObjectFormat::kMachO);
  EXPECT_EQ(mac->asm_syntax().GlobalPrefix(), "_");
  EXPECT_EQ(mac->asm_syntax().LocalLabelPrefix(), "L");
}

// The assembler spelling takes the target's own architecture and object
// format (one definition each, target_system/architecture.h and
// object_format.h), for every supported triple.
TEST(TargetSystemTest, AsmSyntaxHasTheTargetsArchitectureAndFormat) {
  for (std::string_view triple :
       {"x86_64-linux", "aarch64-linux", "x86_64-macos", "aarch64-macos"}) {
    const TargetSystem t = TargetSystem::Parse(triple).value();
    EXPECT_EQ(t.asm_syntax().architecture(), t.architecture()) << triple;
    EXPECT_EQ(t.asm_syntax().object_format(), t.object_format()) << triple;
    EXPECT_EQ(t.asm_syntax().scheme(), t.mangling_scheme()) << triple;
  }
}

TEST(TargetSystemTest, SchemeFollowsTheOs) {
  // OCaml 5.4 uses `$` on Apple systems and `.` on other Unix systems.
  EXPECT_EQ(TargetSystem::Parse("aarch64-macos", "ocaml-5.4")
                ->mangling_scheme()
                .separator(),
            "$");
  EXPECT_EQ(TargetSystem::Parse("aarch64-linux", "ocaml-5.4")
                ->mangling_scheme()
                .separator(),
            ".");
  EXPECT_EQ(TargetSystem::Parse("x86_64-linux")->mangling_scheme().separator(),
            "__");
}

TEST(TargetSystemTest, OcamlVersionPicksTheMangling) {
  const TargetSystem linux = *TargetSystem::Parse("x86_64-linux");
  EXPECT_EQ(linux.ocaml_version(), formats::OcamlVersion::k413);
  const TargetSystem v53 = linux.WithOcamlVersion(formats::OcamlVersion::k53);
  EXPECT_EQ(v53.ocaml_version(), formats::OcamlVersion::k53);
  EXPECT_EQ(v53.mangling_scheme().separator(), ".");
  EXPECT_EQ(v53.architecture(), Architecture::kX86_64);
  const TargetSystem v54 = linux.WithOcamlVersion(formats::OcamlVersion::k54);
  EXPECT_EQ(v54.mangling_scheme().version(), ManglingVersion::kOcaml54);
  EXPECT_EQ(v54.mangling_scheme().separator(), ".");
  const TargetSystem mac = *TargetSystem::Parse("aarch64-macos");
  EXPECT_EQ(mac.WithOcamlVersion(formats::OcamlVersion::k54)
                .mangling_scheme()
                .separator(),
            "$");
  EXPECT_EQ(v53.WithOcamlVersion(formats::OcamlVersion::k413)
                .mangling_scheme()
                .separator(),
            "__");
  EXPECT_EQ(TargetSystem::Parse("x86_64-linux", "ocaml-5.4")->ocaml_version(),
            formats::OcamlVersion::k54);
}

TEST(TargetSystemTest, UnknownTripleListsSupportedOnes) {
  absl::StatusOr<TargetSystem> t = TargetSystem::Parse("riscv64-linux");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr("riscv64-linux"));
  EXPECT_THAT(t.status().message(), HasSubstr("x86_64-linux, aarch64-linux"));
  EXPECT_FALSE(TargetSystem::Parse("x86_64").ok());
  EXPECT_FALSE(TargetSystem::Parse("x86_64-windows").ok());
}

TEST(TargetSystemTest, UnknownSchemeIsAnError) {
  absl::StatusOr<TargetSystem> t =
      TargetSystem::Parse("x86_64-linux", "ocaml-3.12");
  ASSERT_FALSE(t.ok());
  EXPECT_THAT(t.status().message(), HasSubstr("ocaml-4.13, ocaml-5.1"));
}

TEST(TargetSystemTest, HostIsX86_64Linux) {
#if defined(__x86_64__) && defined(__linux__)
  EXPECT_EQ(TargetSystem::Host().Triple(), "x86_64-linux");
#endif
}

}  // namespace
}  // namespace camlsym
