// Middle-end symbols: the statically allocated constants and code that
// Closure and Flambda name. They are not mangled: a middle-end symbol keeps
// its compilation unit and its local name apart, and only the backend turns
// it into an object-file name (see backend_symbol.h).
//
// Mirrors: the RFC "Symbols" (shared/seeds/004), section "Middle-end
// symbols"; middle_end/compilenv.ml (`symbol_for_global`,
// `new_const_symbol`, `closure_symbol`, `function_label`) and
// typing/predef.ml (the predefined exceptions) of OCaml 4.13.1.
#ifndef CAMLSYM_SYMBOLS_MIDDLE_END_SYMBOL_H_
#define CAMLSYM_SYMBOLS_MIDDLE_END_SYMBOL_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "camlsym/symbols/compilation_unit.h"

namespace camlsym {

/// The 12 predefined exceptions of OCaml 4.13, in typing/predef.ml's order
/// (which is also the order of their `Val_long(-i-1)` identifiers in the
/// startup file).
enum class PredefinedException {
  kOutOfMemory,
  kSysError,
  kFailure,
  kInvalidArgument,
  kEndOfFile,
  kDivisionByZero,
  kNotFound,
  kMatchFailure,
  kStackOverflow,
  kSysBlockedIo,
  kAssertFailure,
  kUndefinedRecursiveModule,
};

/// All 12, in predef.ml's order.
inline constexpr std::array<PredefinedException, 12> kPredefinedExceptions = {
    PredefinedException::kOutOfMemory,
    PredefinedException::kSysError,
    PredefinedException::kFailure,
    PredefinedException::kInvalidArgument,
    PredefinedException::kEndOfFile,
    PredefinedException::kDivisionByZero,
    PredefinedException::kNotFound,
    PredefinedException::kMatchFailure,
    PredefinedException::kStackOverflow,
    PredefinedException::kSysBlockedIo,
    PredefinedException::kAssertFailure,
    PredefinedException::kUndefinedRecursiveModule,
};

/// The OCaml constructor name, e.g. `Not_found`.
std::string_view PredefinedExceptionName(PredefinedException e);

/// Looks up a constructor name. kNotFound naming \p name and listing the 12
/// if it is not a predefined exception of OCaml 4.13 (5.x's
/// `Continuation_already_taken` is not one).
absl::StatusOr<PredefinedException> ParsePredefinedException(
    std::string_view name);

/// A middle-end symbol. Immutable value.
class MiddleEndSymbol {
 public:
  enum class Kind {
    /// The block of a compilation unit's toplevel module (`camlFoo`).
    kModuleBlock,
    /// A variable found constant and lifted (Flambda).
    kLiftedVariable,
    /// A closure found constant and lifted (`camlFoo__f_12_closure`).
    kLiftedClosure,
    /// An anonymous structured constant (`camlFoo__3`).
    kAnonymousConstant,
    /// A predefined exception (`caml_exn_Not_found`); has no unit.
    kPredefinedException,
    /// The code of a function (`camlFoo__f_12`): the only symbol that does
    /// not point at a well-formed OCaml value.
    kCodePointer,
  };

  static MiddleEndSymbol ModuleBlock(CompilationUnit unit);
  /// \p name is the identifier (`x`), \p stamp its Ident stamp.
  static MiddleEndSymbol LiftedVariable(CompilationUnit unit,
                                        std::string_view name, int64_t stamp);
  static MiddleEndSymbol LiftedClosure(CompilationUnit unit,
                                       std::string_view name, int64_t stamp);
  /// \p index counts from 1 within the unit (compilenv.ml `const_label`).
  static MiddleEndSymbol AnonymousConstant(CompilationUnit unit, int64_t index);
  static MiddleEndSymbol Exception(PredefinedException exn);
  /// kNotFound as ParsePredefinedException().
  static absl::StatusOr<MiddleEndSymbol> PredefinedExceptionNamed(
      std::string_view name);
  static MiddleEndSymbol CodePointer(CompilationUnit unit,
                                     std::string_view name, int64_t stamp);

  Kind kind() const { return kind_; }
  /// The unit; nullopt only for predefined exceptions.
  const std::optional<CompilationUnit>& unit() const { return unit_; }
  /// The identifier, the constant's index as text, or the exception's name;
  /// empty for a module block.
  const std::string& name() const { return name_; }
  /// The identifier's stamp, where there is one.
  std::optional<int64_t> stamp() const { return stamp_; }
  /// The exception, for kPredefinedException.
  std::optional<PredefinedException> exception() const { return exn_; }
  /// True only for code pointers, which live in the text section.
  bool IsText() const { return kind_ == Kind::kCodePointer; }

  /// The part after `caml<unit><separator>` in the object-file name
  /// (`f_12`, `f_12_closure`, `3`); nullopt for module blocks and
  /// predefined exceptions, which have no such part.
  std::optional<std::string> LocalName() const;

  friend bool operator==(const MiddleEndSymbol&,
                         const MiddleEndSymbol&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const MiddleEndSymbol& s) {
    return H::combine(std::move(h), s.kind_, s.unit_, s.name_, s.stamp_);
  }

 private:
  MiddleEndSymbol(Kind kind, std::optional<CompilationUnit> unit,
                  std::string name, std::optional<int64_t> stamp)
      : kind_(kind),
        unit_(std::move(unit)),
        name_(std::move(name)),
        stamp_(stamp) {}
  Kind kind_;
  std::optional<CompilationUnit> unit_;
  std::string name_;
  std::optional<int64_t> stamp_;
  std::optional<PredefinedException> exn_;
};

}  // namespace camlsym

#endif  // CAMLSYM_SYMBOLS_MIDDLE_END_SYMBOL_H_
