#include "camlsym/emitters/function_abi.h"

namespace camlsym {

namespace {

// The index of `extra_params` in runtime/caml/domain_state.tbl, times 8.
int ExtraParamsOffsetBytes(formats::OcamlVersion version) {
  switch (version) {
    case formats::OcamlVersion::k413:
      return 0;
    case formats::OcamlVersion::k51:
      return 57 * kAbiWordBytes;
    case formats::OcamlVersion::k52:
      return 59 * kAbiWordBytes;
    case formats::OcamlVersion::k53:
      return 60 * kAbiWordBytes;
    case formats::OcamlVersion::k54:
      return 64 * kAbiWordBytes;
  }
  return 0;
}

}  // namespace

ArgumentConvention::ArgumentConvention(formats::OcamlVersion version,
                                       int num_arg_regs)
    : num_arg_regs_(num_arg_regs),
      domain_state_words_(version == formats::OcamlVersion::k413 ? 0 : 64),
      domain_state_offset_(ExtraParamsOffsetBytes(version)) {}

int ArgumentConvention::OutgoingAreaBytes(int num_args) const {
  const int on_stack = num_args - num_arg_regs_ - domain_state_words_;
  if (on_stack <= 0) return 0;
  return AlignUpBytes(kAbiWordBytes * on_stack, 16);
}

FunctionCalls CallsOf(StartupFunction f, int arity,
                      const ArgumentConvention& conv) {
  auto calls_if = [](int area) {
    return FunctionCalls{area > 0 ? NonTailCalls::kYes : NonTailCalls::kNo,
                         area};
  };
  switch (f) {
    case StartupFunction::kProgram:
      return {NonTailCalls::kYes, 0};
    case StartupFunction::kCurryClosure:
      return {};
    case StartupFunction::kCurryApp:
    case StartupFunction::kFinalCurry:
    case StartupFunction::kTuplify:
      return calls_if(conv.OutgoingAreaBytes(arity + 1));
    case StartupFunction::kApply:
      return {NonTailCalls::kYes, conv.OutgoingAreaBytes(arity + 1)};
    case StartupFunction::kSend:
      return {arity > 0 ? NonTailCalls::kYes : NonTailCalls::kNo,
              conv.OutgoingAreaBytes(arity + 2)};
  }
  return {};
}

StackCheck StackCheck::For(formats::OcamlVersion version, NonTailCalls calls,
                           int frame_bytes, int extra_stack_bytes) {
  const int max_frame = frame_bytes + extra_stack_bytes;
  const bool needed = version != formats::OcamlVersion::k413 &&
                      (calls == NonTailCalls::kYes ||
                       max_frame >= kThresholdWords * kAbiWordBytes);
  return StackCheck(needed, max_frame);
}

}  // namespace camlsym
