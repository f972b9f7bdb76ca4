// FunctionEmitterBase's bookkeeping, through a minimal target-neutral
// emitter: descriptors carry the frame plus what is pushed at the point,
// GC points get their descriptor at the caml_call_gc site's return
// address, in emission order, and the stack check follows CallsOf().
#include "camlsym/emitters/function_emitter.h"

#include <variant>

#include "camlsym/emitters/x86_64/instruction_set.h"
#include "camlsym/target_system/target_system.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

// A StartupTarget that only collects descriptors.
class CollectingTarget final : public StartupTarget {
 public:
  absl::Status EmitBeginAssembly(DirectiveStream&) override {
    return absl::OkStatus();
  }
  absl::Status EmitProgram(DirectiveStream&,
                           const std::vector<BackendSymbol>&) override {
    return absl::OkStatus();
  }
  absl::Status EmitApply(DirectiveStream&, int) override {
    return absl::OkStatus();
  }
  absl::Status EmitSend(DirectiveStream&, int) override {
    return absl::OkStatus();
  }

 private:
  absl::Status EmitCurryClosure(DirectiveStream&, int, int) override {
    return absl::OkStatus();
  }
  absl::Status EmitCurryApp(DirectiveStream&, int, int) override {
    return absl::OkStatus();
  }
  absl::Status EmitFinalCurry(DirectiveStream&, int) override {
    return absl::OkStatus();
  }
  absl::Status EmitTuplify(DirectiveStream&, int) override {
    return absl::OkStatus();
  }
};

// Exposes the protected steps.
class TestEmitter : public FunctionEmitterBase {
 public:
  TestEmitter(StartupTarget& t, formats::OcamlVersion v, DirectiveStream& out,
              int frame_bytes, const FunctionCalls& calls)
      : FunctionEmitterBase(t, v, out, BackendSymbol::Program(), frame_bytes,
                            calls) {}
  using FunctionEmitterBase::AddGcSite;
  using FunctionEmitterBase::EmitGcSites;
  using FunctionEmitterBase::NoteStackPushed;
  using FunctionEmitterBase::ParallelMoveWith;
  using FunctionEmitterBase::RecordFrameAt;
  bool checked() const { return check_.needed(); }
};

struct Fixture {
  Fixture()
      : ctx(TargetSystem::Parse("x86_64-linux").value().asm_syntax(),
            ObjectFile::Startup()),
        out(ctx) {
    out.SwitchTo(Section::Text());
  }
  AsmContext ctx;
  DirectiveStream out;
  CollectingTarget target;
};

TEST(FunctionEmitterTest, DescriptorsCountPushedBytes) {
  Fixture f;
  TestEmitter e(f.target, formats::OcamlVersion::k53, f.out, 24, {});
  ASSERT_TRUE(e.RecordFrameAt(e.NewLabel(), {8}, std::nullopt).ok());
  e.NoteStackPushed(16);
  EXPECT_EQ(e.SlotOffset(8), 24);
  ASSERT_TRUE(
      e.AddGcSite(static_cast<uint16_t>(X86_64Opcode::kJb), {3}, {5}).ok());
  e.NoteStackPushed(-16);
  ASSERT_TRUE(e.EmitGcSites(x86_64::Insn(X86_64Opcode::kRet),
                            static_cast<uint16_t>(X86_64Opcode::kJmp))
                  .ok());
  const std::vector<FrameDescriptor>& d = f.target.frame_descriptors();
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].frame_size_bytes, 24);
  EXPECT_EQ(d[0].live, std::vector<int>{8});
  EXPECT_FALSE(d[0].allocation_words.has_value());
  EXPECT_EQ(d[1].frame_size_bytes, 40);
  EXPECT_EQ(d[1].allocation_words, std::vector<int>{5});
  EXPECT_NE(d[1].return_address, nullptr);
  // The pushes were told to the CFA: +16 then -16.
  std::vector<int> cfa;
  for (const Directive& dir : f.out.directives()) {
    if (const auto* c = std::get_if<Cfi>(&dir);
        c != nullptr && c->kind == CfiKind::kAdjustCfaOffset) {
      cfa.push_back(c->offset_bytes);
    }
  }
  EXPECT_EQ(cfa, (std::vector<int>{16, -16}));
}

TEST(FunctionEmitterTest, StackCheckFromCallsAndVersion) {
  Fixture f;
  const FunctionCalls program = {NonTailCalls::kYes, 0};
  EXPECT_TRUE(
      TestEmitter(f.target, formats::OcamlVersion::k54, f.out, 16, program)
          .checked());
  EXPECT_FALSE(
      TestEmitter(f.target, formats::OcamlVersion::k413, f.out, 16, program)
          .checked());
  EXPECT_FALSE(TestEmitter(f.target, formats::OcamlVersion::k53, f.out, 16, {})
                   .checked());
}

TEST(FunctionEmitterTest, ParallelMoveCycleNamesTheFunction) {
  Fixture f;
  TestEmitter e(f.target, formats::OcamlVersion::k53, f.out, 8, {});
  std::vector<std::pair<int, int>> done;
  absl::Status s = e.ParallelMoveWith(
      std::vector<std::pair<int, int>>{{1, 2}, {2, 1}}, [&](int a, int b) {
        done.push_back({a, b});
      });
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_NE(std::string(s.message()).find("caml_program"), std::string::npos)
      << s;
  ASSERT_TRUE(
      e.ParallelMoveWith(std::vector<std::pair<int, int>>{{1, 2}, {3, 1}},
                         [&](int a, int b) {
                           done.push_back({a, b});
                         })
          .ok());
  EXPECT_EQ(done, (std::vector<std::pair<int, int>>{{1, 2}, {3, 1}}));
}

}  // namespace
}  // namespace camlsym
