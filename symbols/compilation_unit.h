// Compilation units: the identifier of an OCaml source file being compiled,
// made of the for-pack prefix in effect and the unit's own name.
//
// A unit compiled with `-for-pack Pack.Sub` from `unit.ml` is the compilation
// unit `Pack.Sub.Unit`; its symbols start with `camlPack__Sub__Unit` (OCaml
// 4.x and 5.0). Both parts are validated OCaml module identifiers, so a
// `CompilationUnit` value always names a unit that OCaml could compile.
//
// Mirrors: utils/compilation_unit.mli (OxCaml) and the RFC "Symbols"
// (shared/seeds/004); the 4.13.1 facts come from middle_end/compilenv.ml
// (`symbolname_for_pack`).
#ifndef CAMLSYM_SYMBOLS_COMPILATION_UNIT_H_
#define CAMLSYM_SYMBOLS_COMPILATION_UNIT_H_

#include <compare>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "fmt/format.h"

namespace camlsym {

/// The compiler's pseudo-units: names that label code and data with unit
/// markers (`caml_startup__code_begin`) as a compilation unit does, but that
/// are not OCaml identifiers, so that no real unit can have them.
enum class PseudoUnit : std::uint8_t {
  /// `_startup`: an executable's startup file (asmlink.ml
  /// `make_startup_file`).
  kStartup,
  /// `_shared_startup`: a plugin's startup file (asmlink.ml
  /// `make_shared_startup_file`).
  kSharedStartup,
  /// `_system`: the runtime's assembly code (runtime/amd64.S, arm64.S).
  kSystem,
  /// `_hot`: the hot text section under `-function-sections`, listed in the
  /// startup's code segment table (asmlink.ml `make_startup_file`).
  kHot,
};

/// Every PseudoUnit, in declaration order.
inline constexpr PseudoUnit kPseudoUnits[] = {
    PseudoUnit::kStartup, PseudoUnit::kSharedStartup, PseudoUnit::kSystem,
    PseudoUnit::kHot};

/// The pseudo-unit's name as it stands after `caml` in its symbols:
/// `_startup`, `_shared_startup`, `_system`, `_hot`.
constexpr std::string_view PseudoUnitName(PseudoUnit unit) {
  constexpr std::string_view kNames[] = {"_startup", "_shared_startup",
                                         "_system", "_hot"};
  static_assert(std::size(kNames) == std::size(kPseudoUnits));
  return kNames[static_cast<std::size_t>(unit)];
}

/// The name of one module: a capitalised OCaml identifier
/// `[A-Z][A-Za-z0-9_']*`, such as `List` or `Stdlib__List`. Immutable value.
class UnitName {
 public:
  /// Validates \p name. Returns kInvalidArgument, naming the first bad
  /// character and its byte offset, if \p name is empty, does not start with
  /// an uppercase ASCII letter, or contains a character outside
  /// `[A-Za-z0-9_']`.
  static absl::StatusOr<UnitName> Create(std::string_view name);

  /// Builds a name without checking it. Only for the compiler's pseudo-units
  /// (PseudoUnitName()), which are not identifiers.
  static UnitName CreateUnchecked(std::string_view name) {
    return UnitName(std::string(name));
  }

  const std::string& str() const { return name_; }

  friend bool operator==(const UnitName&, const UnitName&) = default;
  friend auto operator<=>(const UnitName&, const UnitName&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const UnitName& n) {
    return H::combine(std::move(h), n.name_);
  }

 private:
  explicit UnitName(std::string name) : name_(std::move(name)) {}
  std::string name_;
};

/// A compilation unit: for-pack prefix (outermost pack first, possibly
/// empty) plus the unit's name. Immutable value; equality, hashing and
/// ordering compare the prefix then the name.
class CompilationUnit {
 public:
  /// Builds a unit from already-validated parts. Never fails.
  CompilationUnit(std::vector<UnitName> for_pack_prefix, UnitName name)
      : prefix_(std::move(for_pack_prefix)), name_(std::move(name)) {}

  /// Parses a dotted path such as `"Pack.Sub.Unit"` (the form of
  /// `-for-pack Pack.Sub` plus the unit name). Returns kInvalidArgument if
  /// \p path is empty, has an empty component (`"A..B"`, `".A"`), or a
  /// component that is not a module identifier; the message names the bad
  /// character, its offset in \p path, and the whole input.
  static absl::StatusOr<CompilationUnit> Parse(std::string_view path);

  /// Parses a `-for-pack` argument (`"Pack.Sub"`) into a prefix; the empty
  /// string is the empty prefix. Errors as for Parse().
  static absl::StatusOr<std::vector<UnitName>> ParsePrefix(
      std::string_view for_pack);

  /// The pseudo-unit \p unit, unchecked (its name is no identifier).
  static CompilationUnit Pseudo(PseudoUnit unit);
  /// The startup file's pseudo-unit `_startup` (asmlink.ml).
  static CompilationUnit Startup();
  /// The plugin startup's pseudo-unit `_shared_startup` (asmlink.ml).
  static CompilationUnit SharedStartup();
  /// The runtime's assembly pseudo-unit `_system` (runtime/amd64.S).
  static CompilationUnit System();

  const std::vector<UnitName>& for_pack_prefix() const { return prefix_; }
  const UnitName& name() const { return name_; }
  bool is_packed() const { return !prefix_.empty(); }

  /// The dotted path, `Pack.Sub.Unit`, as OCaml prints unit names.
  std::string FullPath() const;

  /// The prefix alone, dotted (`Pack.Sub`), or empty.
  std::string PrefixPath() const;

  friend bool operator==(const CompilationUnit&,
                         const CompilationUnit&) = default;
  friend auto operator<=>(const CompilationUnit&,
                          const CompilationUnit&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const CompilationUnit& u) {
    return H::combine(std::move(h), u.prefix_, u.name_);
  }

 private:
  std::vector<UnitName> prefix_;
  UnitName name_;
};

/// The RFC's -for-pack rule: a unit whose implementation was built with
/// `-for-pack P` must have its interface built with the same prefix.
/// \p implementation is the unit as its .ml was compiled; \p
/// interface_prefix is the prefix its .mli was compiled with. Returns OK when
/// they agree, else kFailedPrecondition naming the unit and both prefixes
/// (an empty prefix reads "no -for-pack").
absl::Status CheckForPackConsistency(
    const CompilationUnit& implementation,
    const std::vector<UnitName>& interface_prefix);

}  // namespace camlsym

template <>
struct fmt::formatter<camlsym::UnitName> : fmt::formatter<std::string_view> {
  auto format(const camlsym::UnitName& n, fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(n.str(), ctx);
  }
};

/// Formats as the dotted path, `Pack.Sub.Unit`.
template <>
struct fmt::formatter<camlsym::CompilationUnit>
    : fmt::formatter<std::string_view> {
  auto format(const camlsym::CompilationUnit& u,
              fmt::format_context& ctx) const {
    return fmt::formatter<std::string_view>::format(u.FullPath(), ctx);
  }
};

#endif  // CAMLSYM_SYMBOLS_COMPILATION_UNIT_H_
