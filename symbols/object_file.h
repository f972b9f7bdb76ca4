// Object files: where a backend or assembly symbol is defined. This is the
// RFC's notion that replaces the compilation unit from Cmm onwards, because
// the startup files and the runtime have symbols but no OCaml source.
//
// Mirrors: the RFC "Symbols" (shared/seeds/004), type `Object_file.t`
// (Current_compilation_unit | Another_compilation_unit | Startup |
// Shared_startup | Runtime_and_external_libs); unit marker names from
// asmcomp/asmlink.ml (OCaml 4.13.1).
#ifndef CAMLSYM_SYMBOLS_OBJECT_FILE_H_
#define CAMLSYM_SYMBOLS_OBJECT_FILE_H_

#include <optional>
#include <string>

#include "camlsym/symbols/compilation_unit.h"
#include "fmt/format.h"

namespace camlsym {

/// Whether a symbol reference stays within one object file or crosses to
/// another, which makes it an undefined symbol of the referencing file.
enum class Linkage {
  /// Defined in the object file that refers to it.
  kDefinedHere,
  /// Defined elsewhere: an undefined symbol of the referencing file,
  /// resolved by the system linker (or the dynamic loader for plugins).
  kUndefined,
};

/// One object file of a link. Immutable value.
class ObjectFile {
 public:
  enum class Kind {
    /// The object file of the unit being compiled.
    kCurrentUnit,
    /// The object file of another OCaml compilation unit.
    kOtherUnit,
    /// The executable's startup file, generated at link time.
    kStartup,
    /// A plugin's (`.cmxs`) startup file.
    kSharedStartup,
    /// The OCaml runtime (libasmrun.a) and C libraries.
    kRuntimeAndExternalLibs,
  };

  static ObjectFile CurrentUnit(CompilationUnit unit) {
    return ObjectFile(Kind::kCurrentUnit, std::move(unit));
  }
  static ObjectFile OtherUnit(CompilationUnit unit) {
    return ObjectFile(Kind::kOtherUnit, std::move(unit));
  }
  static ObjectFile Startup() { return ObjectFile(Kind::kStartup, {}); }
  static ObjectFile SharedStartup() {
    return ObjectFile(Kind::kSharedStartup, {});
  }
  static ObjectFile RuntimeAndExternalLibs() {
    return ObjectFile(Kind::kRuntimeAndExternalLibs, {});
  }

  Kind kind() const { return kind_; }
  /// The OCaml unit, for kCurrentUnit and kOtherUnit; nullopt otherwise.
  const std::optional<CompilationUnit>& unit() const { return unit_; }

  /// The pseudo-unit whose name prefixes this file's marker symbols
  /// (`caml<U>__code_begin`): the unit itself for OCaml units, `_startup`,
  /// `_shared_startup`, and `_system` for the runtime (runtime/amd64.S
  /// defines `caml_system__frametable`).
  CompilationUnit MarkerUnit() const;

  /// Whether a reference from \p from to a symbol defined in \p to is
  /// defined in \p from or undefined there. Two files are the same when they
  /// have the same kind and unit, except that the current unit and "another
  /// unit" with the same compilation unit denote the same file.
  static Linkage ReferenceLinkage(const ObjectFile& from, const ObjectFile& to);

  friend bool operator==(const ObjectFile&, const ObjectFile&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const ObjectFile& f) {
    // (Abseil's std::optional support is not in every release: spelled out.)
    if (f.unit_.has_value()) {
      return H::combine(std::move(h), f.kind_, true, *f.unit_);
    }
    return H::combine(std::move(h), f.kind_, false);
  }

 private:
  ObjectFile(Kind kind, std::optional<CompilationUnit> unit)
      : kind_(kind), unit_(std::move(unit)) {}
  Kind kind_;
  std::optional<CompilationUnit> unit_;
};

}  // namespace camlsym

/// Formats as `unit Pack.Unit (current)`, `startup`, `runtime`, ...
template <>
struct fmt::formatter<camlsym::ObjectFile> : fmt::formatter<std::string_view> {
  auto format(const camlsym::ObjectFile& f, fmt::format_context& ctx) const {
    std::string s;
    switch (f.kind()) {
      case camlsym::ObjectFile::Kind::kCurrentUnit:
        s = fmt::format("unit {} (current)", *f.unit());
        break;
      case camlsym::ObjectFile::Kind::kOtherUnit:
        s = fmt::format("unit {}", *f.unit());
        break;
      case camlsym::ObjectFile::Kind::kStartup:
        s = "startup";
        break;
      case camlsym::ObjectFile::Kind::kSharedStartup:
        s = "shared startup";
        break;
      case camlsym::ObjectFile::Kind::kRuntimeAndExternalLibs:
        s = "runtime and external libraries";
        break;
    }
    return fmt::formatter<std::string_view>::format(s, ctx);
  }
};

#endif  // CAMLSYM_SYMBOLS_OBJECT_FILE_H_
