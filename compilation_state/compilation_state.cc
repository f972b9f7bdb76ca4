#include "camlsym/compilation_state/compilation_state.h"

#include "fmt/format.h"

namespace camlsym {

CompilationState::CompilationState(CompilationUnit unit, ManglingScheme scheme)
    : CompilationState(unit, ObjectFile::CurrentUnit(unit), scheme) {}

CompilationState::CompilationState(CompilationUnit unit, ObjectFile file,
                                   ManglingScheme scheme)
    : unit_(std::move(unit)),
      file_(std::move(file)),
      scheme_(scheme),
      unit_symbol_(scheme_.UnitSymbolName(unit_)) {}

CompilationState CompilationState::ForStartup(ManglingScheme scheme) {
  return CompilationState(CompilationUnit::Startup(), ObjectFile::Startup(),
                          scheme);
}

CompilationState CompilationState::ForSharedStartup(ManglingScheme scheme) {
  return CompilationState(CompilationUnit::SharedStartup(),
                          ObjectFile::SharedStartup(), scheme);
}

absl::StatusOr<BackendSymbol> CompilationState::Record(BackendSymbol sym) {
  if (!defined_names_.insert(sym.name()).second) {
    return absl::AlreadyExistsError(
        fmt::format("symbol {} is already defined in {}", sym.name(), unit_));
  }
  return sym;
}

BackendSymbol CompilationState::NewConstSymbol() {
  // Numbers are never reused, so the name is always fresh.
  BackendSymbol sym = BackendSymbol::FromMiddleEnd(
      MiddleEndSymbol::AnonymousConstant(unit_, ++const_label_), file_,
      scheme_);
  defined_names_.insert(sym.name());
  return sym;
}

absl::StatusOr<BackendSymbol> CompilationState::Define(
    const MiddleEndSymbol& sym) {
  if (!sym.unit().has_value() || *sym.unit() != unit_) {
    return absl::FailedPreconditionError(fmt::format(
        "cannot define {} symbol \"{}\" in unit {}: it belongs to {}",
        sym.kind() == MiddleEndSymbol::Kind::kPredefinedException
            ? "predefined exception"
            : "a",
        sym.name(), unit_,
        sym.unit().has_value() ? sym.unit()->FullPath() : "the startup file"));
  }
  return Record(BackendSymbol::FromMiddleEnd(sym, file_, scheme_));
}

BackendSymbol CompilationState::Reference(const MiddleEndSymbol& sym) const {
  if (!sym.unit().has_value()) {
    return BackendSymbol::FromMiddleEnd(sym, ObjectFile::Startup(), scheme_);
  }
  if (*sym.unit() == unit_) {
    return BackendSymbol::FromMiddleEnd(sym, file_, scheme_);
  }
  return BackendSymbol::FromMiddleEnd(sym, ObjectFile::OtherUnit(*sym.unit()),
                                      scheme_);
}

BackendSymbol CompilationState::StructuredConstantSymbol(
    const StructuredConstant& constant, Sharing sharing) {
  if (sharing == Sharing::kShared) {
    auto it = closure_.shared_.find(constant);
    if (it != closure_.shared_.end()) {
      return closure_.defined_[it->second].symbol;
    }
  }
  BackendSymbol sym = NewConstSymbol();
  closure_.defined_.push_back(DefinedConstant{sym, constant});
  if (sharing == Sharing::kShared) {
    closure_.shared_.emplace(constant, closure_.defined_.size() - 1);
  }
  return sym;
}

absl::StatusOr<BackendSymbol> CompilationState::LiftVariable(
    std::string_view name) {
  MiddleEndSymbol sym =
      MiddleEndSymbol::LiftedVariable(unit_, name, NewStamp());
  absl::StatusOr<BackendSymbol> b = Define(sym);
  if (b.ok()) flambda_.variables_.push_back(sym);
  return b;
}

absl::StatusOr<BackendSymbol> CompilationState::LiftClosure(
    std::string_view name) {
  MiddleEndSymbol sym = MiddleEndSymbol::LiftedClosure(unit_, name, NewStamp());
  absl::StatusOr<BackendSymbol> b = Define(sym);
  if (b.ok()) flambda_.closures_.push_back(sym);
  return b;
}

void CompilationState::NeedCurryFunction(int arity) {
  if (arity >= 2 || arity <= -2) curry_.insert(arity);
}

void CompilationState::NeedApplyFunction(int arity) {
  if (arity >= 2) apply_.insert(arity);
}

void CompilationState::NeedSendFunction(int arity) {
  if (arity >= 0) send_.insert(arity);
}

}  // namespace camlsym
