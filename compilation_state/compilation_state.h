// The state of the one compilation unit being compiled: its identity and
// object file, a symbol factory (stamps, anonymous constants, never two
// symbols alike), the Closure middle end's structured constants, the Flambda
// middle end's lifted variables and closures, and the generic functions
// (curry/tuplify, apply, send) the unit's code needs. The startup files are
// compiled through it as the pseudo-units `_startup` and `_shared_startup`.
//
// Mirrors: middle_end/compilenv.ml of OCaml 4.13.1 (`reset`, `make_symbol`,
// `new_const_symbol`, `new_structured_constant`, `structured_constants`,
// `need_curry_fun`, `need_apply_fun`, `need_send_fun`), renamed and split as
// the RFC "Symbols" (shared/seeds/004) proposes: Compilenv becomes
// Compilation_state with Closure and Flambda parts.
#ifndef CAMLSYM_COMPILATION_STATE_COMPILATION_STATE_H_
#define CAMLSYM_COMPILATION_STATE_COMPILATION_STATE_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "camlsym/symbols/backend_symbol.h"
#include "camlsym/symbols/compilation_unit.h"
#include "camlsym/symbols/mangling_scheme.h"
#include "camlsym/symbols/middle_end_symbol.h"
#include "camlsym/symbols/object_file.h"

namespace camlsym {

/// A structured constant of the Closure middle end (clambda.mli
/// `ustructured_constant`), as far as camlsym builds them: strings, boxed
/// floats and immutable blocks whose fields are immediates or other
/// constants' symbols.
struct StructuredConstant {
  /// `Uconst_string`: the bytes of an OCaml string.
  struct String {
    std::string bytes;
    friend bool operator==(const String&, const String&) = default;
    friend auto operator<=>(const String&, const String&) = default;
  };
  /// `Uconst_float`: a boxed float, compared by bit pattern.
  struct Float {
    uint64_t bits;
    friend bool operator==(const Float&, const Float&) = default;
    friend auto operator<=>(const Float&, const Float&) = default;
  };
  /// A field of a block: a tagged immediate (its OCaml integer value) or
  /// the name of another constant's symbol.
  using Field = std::variant<int64_t, std::string>;
  /// `Uconst_block`: tag and fields.
  struct Block {
    uint8_t tag;
    std::vector<Field> fields;
    friend bool operator==(const Block&, const Block&) = default;
    friend auto operator<=>(const Block&, const Block&) = default;
  };

  std::variant<String, Float, Block> value;
  friend bool operator==(const StructuredConstant&,
                         const StructuredConstant&) = default;
  friend auto operator<=>(const StructuredConstant&,
                          const StructuredConstant&) = default;
};

/// Sharing of a structured constant: compilenv.ml's `~shared`.
enum class Sharing {
  /// Equal constants get one symbol.
  kShared,
  /// Always a fresh symbol (for constants that may be mutated).
  kUnshared,
};

/// One defined structured constant.
struct DefinedConstant {
  BackendSymbol symbol;
  StructuredConstant constant;
};

/// The Closure middle end's part of the state: structured constants.
class ClosureState {
 public:
  /// Number of constants defined.
  size_t size() const { return defined_.size(); }
  /// The constants in definition order.
  const std::vector<DefinedConstant>& constants() const { return defined_; }

 private:
  friend class CompilationState;
  std::vector<DefinedConstant> defined_;
  std::map<StructuredConstant, size_t> shared_;  // index into defined_
};

/// The Flambda middle end's part: lifted variables and closures the unit
/// defines, in definition order.
class FlambdaState {
 public:
  const std::vector<MiddleEndSymbol>& lifted_variables() const {
    return variables_;
  }
  const std::vector<MiddleEndSymbol>& lifted_closures() const {
    return closures_;
  }

 private:
  friend class CompilationState;
  std::vector<MiddleEndSymbol> variables_;
  std::vector<MiddleEndSymbol> closures_;
};

/// The state of one compilation. Not copyable; one per unit compiled.
class CompilationState {
 public:
  /// Starts compiling \p unit with \p scheme (compilenv.ml `reset`).
  CompilationState(CompilationUnit unit, ManglingScheme scheme);
  /// Starts compiling the executable's startup file, unit `_startup`.
  static CompilationState ForStartup(ManglingScheme scheme);
  /// Starts compiling a plugin's startup file, unit `_shared_startup`.
  static CompilationState ForSharedStartup(ManglingScheme scheme);

  CompilationState(const CompilationState&) = delete;
  CompilationState& operator=(const CompilationState&) = delete;
  CompilationState(CompilationState&&) = default;

  const CompilationUnit& unit() const { return unit_; }
  /// The object file being written: the current unit, or the startup /
  /// shared startup for those pseudo-units.
  const ObjectFile& object_file() const { return file_; }
  const ManglingScheme& scheme() const { return scheme_; }
  /// `ui_symbol` of the unit: `Pack__Unit`, `_startup`.
  const std::string& unit_symbol_name() const { return unit_symbol_; }

  // ---- Symbol factory ----
  /// A fresh identifier stamp, counting from 1.
  int64_t NewStamp() { return ++last_stamp_; }

  /// A fresh anonymous constant symbol `caml<unit>__<n>`, n counting from
  /// 1 (compilenv.ml `new_const_symbol`).
  BackendSymbol NewConstSymbol();

  /// Records \p sym as defined by this unit and returns its backend symbol.
  /// kAlreadyExists if a symbol of the same name was already defined (no two
  /// symbols alike); kFailedPrecondition if \p sym belongs to another unit.
  absl::StatusOr<BackendSymbol> Define(const MiddleEndSymbol& sym);

  /// The backend symbol for a reference to \p sym from this unit: defined
  /// here if \p sym is of this unit, else in that unit's object file (and so
  /// undefined here). Predefined exceptions live in the startup file.
  BackendSymbol Reference(const MiddleEndSymbol& sym) const;

  // ---- Closure part ----
  /// The symbol of \p constant: with kShared an equal constant defined
  /// before gives its symbol back; otherwise a fresh NewConstSymbol()
  /// (compilenv.ml `new_structured_constant`).
  BackendSymbol StructuredConstantSymbol(const StructuredConstant& constant,
                                         Sharing sharing);
  const ClosureState& closure() const { return closure_; }

  // ---- Flambda part ----
  /// Defines a lifted constant variable \p name with a fresh stamp.
  /// kAlreadyExists as Define().
  absl::StatusOr<BackendSymbol> LiftVariable(std::string_view name);
  /// Defines a lifted constant closure of function \p name with a fresh
  /// stamp (`caml<unit>__<name>_<stamp>_closure`).
  absl::StatusOr<BackendSymbol> LiftClosure(std::string_view name);
  const FlambdaState& flambda() const { return flambda_; }

  // ---- Generic functions needed ----
  /// compilenv.ml `need_curry_fun`: \p arity > 0 needs caml_curry<arity>,
  /// < 0 needs caml_tuplify<-arity>. 0 and 1 need nothing and are ignored.
  void NeedCurryFunction(int arity);
  /// `need_apply_fun`: caml_apply<arity>, for arity >= 2.
  void NeedApplyFunction(int arity);
  /// `need_send_fun`: caml_send<arity>, for arity >= 0.
  void NeedSendFunction(int arity);
  /// The recorded needs, ascending (the `ui_curry_fun`, `ui_apply_fun`,
  /// `ui_send_fun` of the unit's .cmx, as sets).
  const std::set<int>& curry_functions() const { return curry_; }
  const std::set<int>& apply_functions() const { return apply_; }
  const std::set<int>& send_functions() const { return send_; }

 private:
  CompilationState(CompilationUnit unit, ObjectFile file,
                   ManglingScheme scheme);
  absl::StatusOr<BackendSymbol> Record(BackendSymbol sym);

  CompilationUnit unit_;
  ObjectFile file_;
  ManglingScheme scheme_;
  std::string unit_symbol_;
  int64_t last_stamp_ = 0;
  int64_t const_label_ = 0;
  absl::flat_hash_set<std::string> defined_names_;
  ClosureState closure_;
  FlambdaState flambda_;
  std::set<int> curry_, apply_, send_;
};

}  // namespace camlsym

#endif  // CAMLSYM_COMPILATION_STATE_COMPILATION_STATE_H_
