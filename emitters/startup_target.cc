#include "emitters/startup_target.h"

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

}  // namespace camlsym
