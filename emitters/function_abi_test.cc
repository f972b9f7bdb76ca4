// The shared function-layout numbers against what the real compilers
// print: Debian's ocamlopt 5.3.0 and 5.4.1, `-dstartup -S` of a program
// with an 18-argument function (caml_curry18_17 passes its last three
// arguments in the domain state), and their caml_program stack checks.
#include "camlsym/emitters/function_abi.h"

#include <array>

#include "gtest/gtest.h"

namespace camlsym {
namespace {

using formats::OcamlVersion;
using Loc = ValueLoc<int>;

constexpr std::array<int, 16> kArm64Regs = {0, 1, 2,  3,  4,  5,  6,  7,
                                            8, 9, 10, 11, 12, 13, 14, 15};

TEST(ArgumentConventionTest, ExtraParamsAsOcamloptWritesThem) {
  // arm64 5.3: `str x19, [x28, #480]; ...; str x25, [x28, #496]` for
  // arguments 16..18 of caml_curry18_17's tail call; 5.4.1: #512..#528.
  const ArgumentConvention c53(OcamlVersion::k53, 16);
  const ArgumentConvention c54(OcamlVersion::k54, 16);
  std::span<const int> regs(kArm64Regs);
  EXPECT_EQ(c53.Outgoing(regs, 16, 0), Loc::DomainState(480));
  EXPECT_EQ(c53.Outgoing(regs, 18, 0), Loc::DomainState(496));
  EXPECT_EQ(c54.Outgoing(regs, 16, 0), Loc::DomainState(512));
  EXPECT_EQ(c54.Outgoing(regs, 18, 0), Loc::DomainState(528));
  EXPECT_EQ(c53.Incoming(regs, 15, 32), Loc::R(15));
  // After the 64 domain-state words: the stack, above the frame on entry,
  // at the bottom of the pushed area on a call.
  EXPECT_EQ(c53.Incoming(regs, 16 + 64, 32), Loc::Stack(32));
  EXPECT_EQ(c53.Incoming(regs, 16 + 65, 32), Loc::Stack(40));
  EXPECT_EQ(c53.Outgoing(regs, 16 + 65, 16), Loc::Stack(-8));
  EXPECT_EQ(c53.OutgoingAreaBytes(16 + 64), 0);
  EXPECT_EQ(c53.OutgoingAreaBytes(16 + 65), 16);
  EXPECT_EQ(c53.OutgoingAreaBytes(16 + 67), 32);
  EXPECT_EQ(c53.domain_state_words(), 64);
}

TEST(ArgumentConventionTest, Ocaml413PassesExtraArgumentsOnTheStack) {
  const ArgumentConvention c(OcamlVersion::k413, 10);
  const std::array<int, 10> regs = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_EQ(c.domain_state_words(), 0);
  EXPECT_EQ(c.Incoming(std::span<const int>(regs), 10, 16), Loc::Stack(16));
  EXPECT_EQ(c.Outgoing(std::span<const int>(regs), 11, 16), Loc::Stack(-8));
  EXPECT_EQ(c.OutgoingAreaBytes(10), 0);
  EXPECT_EQ(c.OutgoingAreaBytes(11), 16);
  EXPECT_EQ(c.OutgoingAreaBytes(12), 16);
}

TEST(StackCheckTest, CamlProgramAsOcamloptChecksIt) {
  // arm64 5.3 and 5.4.1 caml_program (frame 16): `add x16, x16, #328`,
  // stub `mov x16, #34`. amd64 5.3 (unrounded frame 8): `leaq -320(%rsp)`.
  const StackCheck arm =
      StackCheck::For(OcamlVersion::k53, NonTailCalls::kYes, 16, 0);
  EXPECT_TRUE(arm.needed());
  EXPECT_EQ(arm.limit_offset_bytes(), 328);
  EXPECT_EQ(arm.realloc_words(), 34);
  const StackCheck x86 =
      StackCheck::For(OcamlVersion::k54, NonTailCalls::kYes, 8, 0);
  EXPECT_EQ(x86.limit_offset_bytes(), 320);
  EXPECT_EQ(x86.realloc_words(), 33);
}

TEST(StackCheckTest, OnlyForCallsOrLargeFramesFromOcaml5) {
  EXPECT_FALSE(
      StackCheck::For(OcamlVersion::k413, NonTailCalls::kYes, 16, 0).needed());
  EXPECT_FALSE(
      StackCheck::For(OcamlVersion::k53, NonTailCalls::kNo, 16, 0).needed());
  // Stack_threshold_words * 8 = 256 bytes: a tail-calling function with a
  // frame and outgoing area that large is checked too.
  EXPECT_FALSE(
      StackCheck::For(OcamlVersion::k53, NonTailCalls::kNo, 16, 224).needed());
  EXPECT_TRUE(
      StackCheck::For(OcamlVersion::k53, NonTailCalls::kNo, 16, 240).needed());
  EXPECT_EQ(StackCheck::For(OcamlVersion::k53, NonTailCalls::kNo, 16, 240)
                .max_frame_bytes(),
            256);
}

// Which startup functions Debian's 5.3.0 and 5.4.1 ocamlopt give a stack
// check (`-dstartup -S`, both targets): caml_program and caml_apply2; not
// caml_curry18, caml_curry11_1_app, caml_curry18_17 (its 19 arguments fit
// the registers and the domain state: a tail call), caml_tuplify3 or
// caml_send0. caml_sendN for N > 0 applies the method through the apply
// body, whose slow path makes calls. Past the domain state the full
// application becomes a call.
TEST(CallsOfTest, StackCheckedStartupFunctions) {
  const ArgumentConvention arm(OcamlVersion::k53, 16);
  const ArgumentConvention x86(OcamlVersion::k53, 10);
  auto checked = [](const ArgumentConvention& c, StartupFunction f, int arity) {
    return StackCheck::For(OcamlVersion::k53, CallsOf(f, arity, c), 16)
        .needed();
  };
  for (const ArgumentConvention* c : {&arm, &x86}) {
    EXPECT_TRUE(checked(*c, StartupFunction::kProgram, 0));
    EXPECT_FALSE(checked(*c, StartupFunction::kCurryClosure, 18));
    EXPECT_FALSE(checked(*c, StartupFunction::kFinalCurry, 18));
    EXPECT_FALSE(checked(*c, StartupFunction::kCurryApp, 11));
    EXPECT_FALSE(checked(*c, StartupFunction::kTuplify, 3));
    EXPECT_TRUE(checked(*c, StartupFunction::kApply, 2));
    EXPECT_FALSE(checked(*c, StartupFunction::kSend, 0));
    EXPECT_TRUE(checked(*c, StartupFunction::kSend, 1));
  }
  // 16 registers + 64 domain-state words: caml_curry80_79's 81 arguments
  // need a 16-byte stack area on AArch64, caml_curry79_78's do not.
  EXPECT_EQ(CallsOf(StartupFunction::kFinalCurry, 79, arm).calls,
            NonTailCalls::kNo);
  const FunctionCalls c80 = CallsOf(StartupFunction::kFinalCurry, 80, arm);
  EXPECT_EQ(c80.calls, NonTailCalls::kYes);
  EXPECT_EQ(c80.extra_stack_bytes, 16);
  EXPECT_EQ(CallsOf(StartupFunction::kApply, 126, x86).extra_stack_bytes,
            AlignUpBytes(8 * (127 - 10 - 64), 16));
}

TEST(FrameRoundingTest, X86_64FramesAreUnroundedFromOcaml52) {
  EXPECT_TRUE(X86_64RoundsFrames(OcamlVersion::k413));
  EXPECT_TRUE(X86_64RoundsFrames(OcamlVersion::k51));
  EXPECT_FALSE(X86_64RoundsFrames(OcamlVersion::k52));
  EXPECT_FALSE(X86_64RoundsFrames(OcamlVersion::k53));
  EXPECT_FALSE(X86_64RoundsFrames(OcamlVersion::k54));
}

}  // namespace
}  // namespace camlsym
