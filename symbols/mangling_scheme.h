// Mangling schemes: how an OCaml release builds object-file symbol names from
// a compilation unit and a local name (`caml` + unit + separator + name), and
// which characters the emitter must escape.
//
// Mirrors: middle_end/compilenv.ml (`symbolname_for_pack`, `make_symbol`,
// `symbol_separator`) and asmcomp/emitaux.ml (`emit_symbol`) of OCaml 4.13.1,
// 5.1 (PR #11430, separator `.`) and 5.4 (PRs #13050 and #14143: `$` on
// Apple and non-Unix systems, `.` elsewhere).
#ifndef CAMLSYM_SYMBOLS_MANGLING_SCHEME_H_
#define CAMLSYM_SYMBOLS_MANGLING_SCHEME_H_

#include <array>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "camlsym/symbols/compilation_unit.h"
#include "fmt/format.h"

namespace camlsym {

/// The OCaml release family whose mangling is used.
enum class ManglingVersion {
  /// OCaml 4.x and 5.0: separator `__`, escape every character outside
  /// `[A-Za-z0-9_]` as `$xx`.
  kOcaml413,
  /// OCaml 5.1 to 5.3: separator `.`, which passes through escaping.
  kOcaml51,
  /// OCaml 5.4: separator `$` on Apple and non-Unix systems, `.` elsewhere.
  kOcaml54,
};

/// Whether the platform is one where OCaml 5.4 picks `$` as the separator.
enum class SeparatorPlatform { kUnixNotApple, kAppleOrNonUnix };

/// A mangling scheme: a release family plus the separator it implies on the
/// target. Immutable value.
class ManglingScheme {
 public:
  /// The scheme of \p version on \p platform. Never fails.
  ManglingScheme(ManglingVersion version, SeparatorPlatform platform);

  /// Parses `ocaml-4.13`, `ocaml-5.1` or `ocaml-5.4`. kInvalidArgument for
  /// anything else, listing the supported names.
  static absl::StatusOr<ManglingScheme> Parse(std::string_view name,
                                              SeparatorPlatform platform);

  /// OCaml 4.13's scheme, the one camlsym links with.
  static ManglingScheme Ocaml413() {
    return ManglingScheme(ManglingVersion::kOcaml413,
                          SeparatorPlatform::kUnixNotApple);
  }

  ManglingVersion version() const { return version_; }
  /// `__`, `.` or `$`.
  std::string_view separator() const { return separator_; }
  /// `ocaml-4.13`, `ocaml-5.1` or `ocaml-5.4`.
  std::string_view name() const;

  /// The unit's symbol name: the pack path and the name joined by the
  /// separator (`Pack__Sub__Unit` in 4.13, `Pack.Sub.Unit` from 5.1).
  /// This is `ui_symbol` of the unit's .cmx.
  std::string UnitSymbolName(const CompilationUnit& unit) const;

  /// `caml` + \p unit_symbol_name, the symbol of the unit's module block.
  std::string MangleModuleBlock(std::string_view unit_symbol_name) const;

  /// `caml` + \p unit_symbol_name + separator + \p local_name
  /// (compilenv.ml `make_symbol`). \p local_name is raw, not escaped.
  std::string Mangle(std::string_view unit_symbol_name,
                     std::string_view local_name) const;

  /// True if the emitter writes \p c as is (`[A-Za-z0-9_]`, and the
  /// one-character separator from 5.1 on); false if it escapes it.
  bool PassesThrough(char c) const {
    // (Inline, through a table: every character of every symbol name goes
    // through it.)
    if (kWordCharacters[static_cast<unsigned char>(c)]) return true;
    return version_ != ManglingVersion::kOcaml413 && separator_.size() == 1 &&
           c == separator_[0];
  }

  friend bool operator==(const ManglingScheme&,
                         const ManglingScheme&) = default;

 private:
  // `[A-Za-z0-9_]`, by byte.
  static constexpr std::array<bool, 256> kWordCharacters = [] {
    std::array<bool, 256> word{};
    for (int c = 0; c < 256; ++c) {
      word[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                (c >= '0' && c <= '9') || c == '_';
    }
    return word;
  }();

  ManglingVersion version_;
  std::string_view separator_;
};

}  // namespace camlsym

#endif  // CAMLSYM_SYMBOLS_MANGLING_SCHEME_H_
