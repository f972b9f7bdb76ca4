#include "camlsym/symbols/asm_syntax.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using ::testing::HasSubstr;

const ManglingScheme k413 = ManglingScheme::Ocaml413();
const ManglingScheme k51(ManglingVersion::kOcaml51,
                         SeparatorPlatform::kUnixNotApple);

TEST(AsmSyntaxTest, EscapesLikeEmitSymbol) {
  AsmSyntax x86(Architecture::kX86_64, ObjectFormat::kElf, k413);
  // `nm /usr/lib/ocaml/stdlib.a` lists camlStdlib__$5e_140 for `( ^ )` and
  // camlStdlib__$40_197 for `( @ )`.
  EXPECT_EQ(x86.Escape("camlStdlib__^_140"), "camlStdlib__$5e_140");
  EXPECT_EQ(x86.Escape("camlStdlib__@_197"), "camlStdlib__$40_197");
  EXPECT_EQ(x86.Escape("camlA__x'_3"), "camlA__x$27_3");
  EXPECT_EQ(x86.Escape(std::string("a\xff", 2)), "a$ff");
  EXPECT_EQ(x86.Encode("camlA.b_1"), "camlA$2eb_1");
  // From 5.1 the separator passes through.
  AsmSyntax x86_51(Architecture::kX86_64, ObjectFormat::kElf, k51);
  EXPECT_EQ(x86_51.Encode("camlStdlib.List.map_1"), "camlStdlib.List.map_1");
  EXPECT_EQ(x86_51.Encode("camlStdlib.^_1"), "camlStdlib.$5e_1");
}

TEST(AsmSyntaxTest, EncodeMovedIsEncode) {
  AsmSyntax x86(Architecture::kX86_64, ObjectFormat::kElf, k413);
  AsmSyntax x86_51(Architecture::kX86_64, ObjectFormat::kElf, k51);
  AsmSyntax macho(Architecture::kAArch64, ObjectFormat::kMachO, k413);
  const std::vector<std::string> names = {
      "caml_program",          "camlStdlib__^_140",     "camlA.b_1",
      "camlStdlib.List.map_1", std::string("a\xff", 2), ""};
  for (const AsmSyntax* s : {&x86, &x86_51, &macho}) {
    for (const std::string& name : names) {
      EXPECT_EQ(s->EncodeMoved(std::string(name)), s->Encode(name)) << name;
    }
  }
}

TEST(AsmSyntaxTest, PrefixesByObjectFormat) {
  AsmSyntax elf(Architecture::kAArch64, ObjectFormat::kElf, k413);
  AsmSyntax macho(Architecture::kAArch64, ObjectFormat::kMachO, k413);
  EXPECT_EQ(elf.Encode("caml_program"), "caml_program");
  EXPECT_EQ(macho.Encode("caml_program"), "_caml_program");
  EXPECT_EQ(elf.LocalLabelPrefix(), ".L");
  EXPECT_EQ(macho.LocalLabelPrefix(), "L");
}

TEST(AsmSyntaxTest, SixteenBitDataDirective) {
  // `.word` is 16 bits for x86 GNU as but 32 bits on AArch64 (ELF and
  // Mach-O), where ocamlopt writes frame descriptors' fields with `.short`.
  EXPECT_EQ(AsmSyntax(Architecture::kX86_64, ObjectFormat::kElf, k413)
                .Data16Directive(),
            ".word");
  EXPECT_EQ(AsmSyntax(Architecture::kAArch64, ObjectFormat::kElf, k413)
                .Data16Directive(),
            ".short");
  EXPECT_EQ(AsmSyntax(Architecture::kAArch64, ObjectFormat::kMachO, k413)
                .Data16Directive(),
            ".short");
}

TEST(AsmSyntaxTest, RelocationDecorations) {
  AsmSyntax x86(Architecture::kX86_64, ObjectFormat::kElf, k413);
  EXPECT_EQ(*x86.Decorate("caml_apply2", Relocation::kPlt), "caml_apply2@PLT");
  EXPECT_EQ(*x86.Decorate("caml_globals", Relocation::kGotPcRel),
            "caml_globals@GOTPCREL");
  EXPECT_EQ(*x86.Decorate("f", Relocation::kNone), "f");
  absl::StatusOr<std::string> bad = x86.Decorate("f", Relocation::kPageOffset);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("x86-64 ELF"));

  AsmSyntax arm(Architecture::kAArch64, ObjectFormat::kElf, k413);
  EXPECT_EQ(*arm.Decorate("f", Relocation::kGotPage), ":got:f");
  EXPECT_EQ(*arm.Decorate("f", Relocation::kGotPageOffset), ":got_lo12:f");
  EXPECT_EQ(*arm.Decorate("f", Relocation::kPage), "f");
  EXPECT_EQ(*arm.Decorate("f", Relocation::kPageOffset), ":lo12:f");
  EXPECT_FALSE(arm.Decorate("f", Relocation::kPlt).ok());

  AsmSyntax mac(Architecture::kAArch64, ObjectFormat::kMachO, k413);
  EXPECT_EQ(*mac.Decorate("_f", Relocation::kGotPage), "_f@GOTPAGE");
  EXPECT_EQ(*mac.Decorate("_f", Relocation::kGotPageOffset), "_f@GOTPAGEOFF");
  EXPECT_EQ(*mac.Decorate("_f", Relocation::kPage), "_f@PAGE");
  EXPECT_EQ(*mac.Decorate("_f", Relocation::kPageOffset), "_f@PAGEOFF");
  EXPECT_FALSE(mac.Decorate("_f", Relocation::kGotPcRel).ok());
}

}  // namespace
}  // namespace camlsym
