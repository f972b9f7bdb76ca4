#include "camlsym/symbols/middle_end_symbol.h"

#include "fmt/format.h"

namespace camlsym {

std::string_view PredefinedExceptionName(PredefinedException e) {
  switch (e) {
    case PredefinedException::kOutOfMemory:
      return "Out_of_memory";
    case PredefinedException::kSysError:
      return "Sys_error";
    case PredefinedException::kFailure:
      return "Failure";
    case PredefinedException::kInvalidArgument:
      return "Invalid_argument";
    case PredefinedException::kEndOfFile:
      return "End_of_file";
    case PredefinedException::kDivisionByZero:
      return "Division_by_zero";
    case PredefinedException::kNotFound:
      return "Not_found";
    case PredefinedException::kMatchFailure:
      return "Match_failure";
    case PredefinedException::kStackOverflow:
      return "Stack_overflow";
    case PredefinedException::kSysBlockedIo:
      return "Sys_blocked_io";
    case PredefinedException::kAssertFailure:
      return "Assert_failure";
    case PredefinedException::kUndefinedRecursiveModule:
      return "Undefined_recursive_module";
  }
  return "";
}

absl::StatusOr<PredefinedException> ParsePredefinedException(
    std::string_view name) {
  for (PredefinedException e : kPredefinedExceptions) {
    if (PredefinedExceptionName(e) == name) return e;
  }
  std::string all;
  for (PredefinedException e : kPredefinedExceptions) {
    if (!all.empty()) all += ", ";
    all += PredefinedExceptionName(e);
  }
  return absl::NotFoundError(fmt::format(
      "\"{}\" is not a predefined exception of OCaml 4.13 (those are: {})",
      name, all));
}

MiddleEndSymbol MiddleEndSymbol::ModuleBlock(CompilationUnit unit) {
  return MiddleEndSymbol(Kind::kModuleBlock, std::move(unit), "", std::nullopt);
}

MiddleEndSymbol MiddleEndSymbol::LiftedVariable(CompilationUnit unit,
                                                std::string_view name,
                                                int64_t stamp) {
  return MiddleEndSymbol(Kind::kLiftedVariable, std::move(unit),
                         std::string(name), stamp);
}

MiddleEndSymbol MiddleEndSymbol::LiftedClosure(CompilationUnit unit,
                                               std::string_view name,
                                               int64_t stamp) {
  return MiddleEndSymbol(Kind::kLiftedClosure, std::move(unit),
                         std::string(name), stamp);
}

MiddleEndSymbol MiddleEndSymbol::AnonymousConstant(CompilationUnit unit,
                                                   int64_t index) {
  return MiddleEndSymbol(Kind::kAnonymousConstant, std::move(unit),
                         fmt::format("{}", index), std::nullopt);
}

MiddleEndSymbol MiddleEndSymbol::Exception(PredefinedException exn) {
  MiddleEndSymbol s(Kind::kPredefinedException, std::nullopt,
                    std::string(PredefinedExceptionName(exn)), std::nullopt);
  s.exn_ = exn;
  return s;
}

absl::StatusOr<MiddleEndSymbol> MiddleEndSymbol::PredefinedExceptionNamed(
    std::string_view name) {
  absl::StatusOr<PredefinedException> exn = ParsePredefinedException(name);
  if (!exn.ok()) return exn.status();
  return Exception(*exn);
}

MiddleEndSymbol MiddleEndSymbol::CodePointer(CompilationUnit unit,
                                             std::string_view name,
                                             int64_t stamp) {
  return MiddleEndSymbol(Kind::kCodePointer, std::move(unit), std::string(name),
                         stamp);
}

std::optional<std::string> MiddleEndSymbol::LocalName() const {
  switch (kind_) {
    case Kind::kModuleBlock:
    case Kind::kPredefinedException:
      return std::nullopt;
    case Kind::kAnonymousConstant:
      return name_;
    case Kind::kLiftedVariable:
    case Kind::kCodePointer:
      return fmt::format("{}_{}", name_, *stamp_);
    case Kind::kLiftedClosure:
      return fmt::format("{}_{}_closure", name_, *stamp_);
  }
  return std::nullopt;
}

}  // namespace camlsym
