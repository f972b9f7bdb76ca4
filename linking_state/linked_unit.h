// The typed form of one linked OCaml unit. The .cmx / .cmxa readers
// (formats/cmx.h) keep the strings as ocamlopt wrote them; the link turns
// each unit's record, once, into the values the later phases work with: the
// compilation unit with its for-pack prefix, the object file that defines
// its symbols, the modules it defines (a pack defines its members too) and
// their marker symbols.
//
// From OCaml 5.1 the prefix is a field of the .cmx, `ui_for_pack` (`Pk.Sub`).
// A 4.13 .cmx has no such field: ocamlopt folds the prefix into `ui_symbol`,
// the unit's name prefixed by the `-for-pack` path with each `.` turned into
// `__` (compilenv.ml `symbolname_for_pack`). camlsym reads it back from
// there: `ui_symbol` is `ui_name` or ends with `__` + `ui_name`, and what
// precedes is the prefix, split at each `__`. A pack's `ui_defines` lists the
// `ui_defines` of its members and then its own `ui_symbol`
// (asmpackager.ml `build_package_cmx`); a member's symbol is the pack's
// `ui_symbol`, a separator (`__` in 4.13; `.` or `$` as 5.x spells it) and
// the member's path inside the pack, split at that separator.
//
// Mirrors: middle_end/compilenv.ml (`symbolname_for_pack`,
// `make_symbol`), asmcomp/asmpackager.ml (`build_package_cmx`) and
// asmcomp/asmlink.ml (`make_startup_file`: `name_list`) (OCaml 4.13.1).
#ifndef CAMLSYM_LINKING_STATE_LINKED_UNIT_H_
#define CAMLSYM_LINKING_STATE_LINKED_UNIT_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "camlsym/formats/cmx.h"
#include "camlsym/symbols/backend_symbol.h"
#include "camlsym/symbols/compilation_unit.h"
#include "camlsym/symbols/mangling_scheme.h"
#include "camlsym/symbols/object_file.h"

namespace camlsym {

/// One module a linked unit defines (one entry of `ui_defines`): the unit
/// itself, or a member of a pack, whose code is in the pack's object file.
struct LinkedModule {
  /// The module as a compilation unit: `Pk.A` for member `A` of pack `Pk`.
  CompilationUnit unit;
  /// The object file that defines the module's symbols: the unit's own, or
  /// the pack's for a pack member.
  ObjectFile object_file;

  /// The marker symbol \p marker of the module (`camlPk__A__entry` with
  /// OCaml 4.13's \p scheme), as compilenv.ml `make_symbol` names it,
  /// defined in \p object_file.
  BackendSymbol Marker(UnitMarker marker, const ManglingScheme& scheme) const {
    return BackendSymbol::Marker(scheme.UnitSymbolName(unit), marker,
                                 object_file, scheme);
  }
  /// The module block `caml<Pk__A>`, defined in \p object_file.
  BackendSymbol ModuleBlock(const ManglingScheme& scheme) const {
    return BackendSymbol::ModuleBlock(scheme.UnitSymbolName(unit), object_file);
  }
};

/// One linked unit, typed.
struct LinkedUnit {
  /// `ui_name` with the for-pack prefix read from `ui_symbol`.
  CompilationUnit unit;
  /// ObjectFile::OtherUnit(unit): the `.o` (or the member of a `.a`) the
  /// unit's code is in, seen from the rest of the link.
  ObjectFile object_file;
  /// `ui_defines`, typed, in the same order: a pack's members (depth
  /// first, as ocamlopt flattens them) and then the unit itself. Each is a
  /// module `caml_program` initialises and the startup's tables list.
  std::vector<LinkedModule> defines;
  /// The file the unit's code is in, as the link reads it: the `.o` beside
  /// the `.cmx`, or the `.a` beside the `.cmxa` for a library's unit
  /// (ObjectFileNameOfFile()). Empty for a unit built by LinkedUnitOf().
  std::string object_path;
};

/// The file holding the code of the units of \p file (asmlink.ml
/// `object_file_name_of_file`, with ext_obj `.o` and ext_lib `.a`): `x.o`
/// for `x.cmx`, `lib.a` for `lib.cmxa`. kInvalidArgument, naming \p file,
/// for a name with neither suffix.
absl::StatusOr<std::string> ObjectFileNameOfFile(std::string_view file);

/// The typed form of \p unit when it is not a pack: it defines only itself,
/// in its own object file. For units built by hand (tests, tools).
LinkedUnit LinkedUnitOf(CompilationUnit unit);

/// Types the record \p info, read from \p file (named in errors; a `.cmx`
/// or `.cmxa`, whose object file the unit gets). kInvalidArgument as
/// ObjectFileNameOfFile(); naming \p file and the unit, if `ui_name` or a
/// component of the prefix is not a module identifier; without
/// `ui_for_pack`, if `ui_symbol` is not `ui_name` optionally preceded by a
/// prefix and `__`; if `ui_defines` does not end with `ui_symbol`, or if a
/// define before it does not start with `ui_symbol` and a separator (a pack
/// member).
absl::StatusOr<LinkedUnit> TypeUnitInfos(const formats::UnitInfos& info,
                                         std::string_view file);

}  // namespace camlsym

#endif  // CAMLSYM_LINKING_STATE_LINKED_UNIT_H_
