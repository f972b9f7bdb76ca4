#include "camlsym/emitters/directive.h"

#include <cassert>

#include "fmt/format.h"

namespace camlsym {

void DirectiveStream::SwitchTo(Section section) {
  current_ = section;
  Push(SwitchSection{section});
}

absl::Status DirectiveStream::Define(AsmSymbol& sym) {
  if (!current_.has_value()) {
    return absl::FailedPreconditionError(
        fmt::format("cannot define {}: no section is current", sym.encoded()));
  }
  absl::Status status = context_.Define(sym, *current_);
  if (!status.ok()) return status;
  Push(Label{&sym});
  return absl::OkStatus();
}

absl::Status DirectiveStream::Define(AsmLabel& label) {
  if (!current_.has_value()) {
    return absl::FailedPreconditionError(fmt::format(
        "cannot define {}: no section is current", label.encoded()));
  }
  absl::Status status = context_.Define(label, *current_);
  if (!status.ok()) return status;
  Push(Label{&label});
  return absl::OkStatus();
}

void DirectiveStream::Append(Directive d) {
  assert(!std::holds_alternative<Label>(d) &&
         !std::holds_alternative<SwitchSection>(d) &&
         "use DirectiveStream::Define() or SwitchTo()");
  Push(std::move(d));
}

}  // namespace camlsym
