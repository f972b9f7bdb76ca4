#include "camlsym/emitters/startup_target.h"

#include "fmt/format.h"

namespace camlsym {

absl::Status CheckGenericArity(std::string_view what, int arity, int lo,
                               int hi) {
  if (arity < lo || arity > hi) {
    return absl::InvalidArgumentError(fmt::format(
        "no {} for arity {} (must be in [{}, {}])", what, arity, lo, hi));
  }
  return absl::OkStatus();
}

absl::Status StartupTarget::EmitCurry(DirectiveStream& out, int arity) {
  if (arity < 0) {
    if (absl::Status s =
            CheckGenericArity("caml_tuplify", -arity, 2, kMaxGenericArity);
        !s.ok()) {
      return s;
    }
    return EmitTuplify(out, -arity);
  }
  if (absl::Status s =
          CheckGenericArity("caml_curry", arity, 2, kMaxGenericArity);
      !s.ok()) {
    return s;
  }
  // cmm_helpers.ml curry_function / intermediate_curry_functions.
  for (int num = 0; num <= arity - 2; ++num) {
    if (absl::Status s = EmitCurryClosure(out, arity, num); !s.ok()) return s;
    if (arity <= kMaxCurryAppArity && arity - num > 2) {
      if (absl::Status s = EmitCurryApp(out, arity, num + 1); !s.ok()) {
        return s;
      }
    }
  }
  return EmitFinalCurry(out, arity);
}

absl::Status CallGcSites::Add(DirectiveStream& out, uint16_t branch,
                              FrameDescriptor frame, StartupTarget& target) {
  AsmContext& ctx = out.context();
  Site site{ctx.CreateLabel(), ctx.CreateLabel(), ctx.CreateLabel()};
  out.Emit(Instruction{branch, {SymbolOperand{site.call}}});
  if (absl::Status s = out.Define(*site.resume); !s.ok()) return s;
  frame.return_address = site.frame;
  target.RecordFrame(std::move(frame));
  sites_.push_back(site);
  return absl::OkStatus();
}

absl::Status CallGcSites::Emit(DirectiveStream& out, const Instruction& call,
                               uint16_t jump) const {
  for (const Site& site : sites_) {
    if (absl::Status s = out.Define(*site.call); !s.ok()) return s;
    out.Emit(call);
    if (absl::Status s = out.Define(*site.frame); !s.ok()) return s;
    out.Emit(Instruction{jump, {SymbolOperand{site.resume}}});
  }
  return absl::OkStatus();
}

}  // namespace camlsym
