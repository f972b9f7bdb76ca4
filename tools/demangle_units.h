// The compilation units a demangling context knows: `camlsym demangle
// --units PATH` reads them from .cmx, .cmxa and .cmxs files, folders of
// them, or an OCaml executable, and then keeps, of the readings of an
// ambiguous 4.x symbol (symbols/demangle.h), the one whose unit exists.
//
// Units are kept as unit symbols in the 4.x spelling with escapes decoded
// (`Stdlib__List`, `X'y`, `P__Sub` for unit `Sub` packed in `P`), whatever
// scheme wrote the file, which is how AppendUnitName(d, out, "__") writes a
// reading's unit.
//
// Where the names come from:
//  - .cmx: `ui_symbol` of `Cmx_format.unit_infos` (fields 0 `ui_name`, 1
//    `ui_symbol`, 2 `ui_defines`, alike in 4.13 and 5.x), and for a pack
//    every unit of `ui_defines` under it;
//  - .cmxa: each unit of `lib_units` likewise;
//  - .cmxs: each `dynu_name` of the `Cmxs_format.dynheader` that
//    `caml_plugin_header` labels, with its `dynu_defines`;
//  - executable: each linked unit (implementation CRC present) of the
//    Marshal'd `(name, crc_intf, crc_impl, defines)` list that
//    `caml_globals_map` labels (asmlink.ml `make_globals_map`), with its
//    defines; read with libelf. An executable also says which unit defines
//    each of its symbols: every unit's code and data lie between its
//    markers (`caml<U>__code_begin` .. `__code_end`, `__data_begin` ..
//    `__data_end`, emitted by the compiler around each unit), so a symbol
//    of its .symtab belongs to the innermost unit whose range holds its
//    address. That settles even a name two linked units could both have
//    written (`camlA_b__c__f_83` from `a_b.ml`'s `c__f` or `a_b__c.ml`'s
//    `f`).
//
// Mirrors: file_formats/cmx_format.mli, file_formats/cmxs_format.mli,
// asmcomp/asmlink.ml `make_globals_map` (OCaml 4.13.1; unchanged in 5.3 and
// 5.4 but for the .cmx magic and the added last field `ui_for_pack`).
#ifndef CAMLSYM_TOOLS_DEMANGLE_UNITS_H_
#define CAMLSYM_TOOLS_DEMANGLE_UNITS_H_

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "camlsym/symbols/demangle.h"

namespace camlsym {

/// A set of unit symbols (4.x spelling, escapes decoded).
class KnownUnits {
 public:
  /// Reads the units of every path of \p paths: a .cmx, .cmxa or .cmxs file,
  /// a folder (searched recursively for those three kinds; other files are
  /// skipped), or any other file, which must be an ELF executable defining
  /// `caml_globals_map`. Errors (each naming the file): kNotFound and other
  /// read errors of formats/cmx.h ReadFileBounded; kInvalidArgument for a
  /// file that is none of those kinds, or whose Marshal data does not have
  /// the expected shape; kUnimplemented for Marshal data camlsym cannot read.
  absl::Status AddPaths(const std::vector<std::string>& paths);

  /// Adds one unit symbol.
  void Add(std::string unit_symbol);

  /// True if \p unit_symbol was added.
  bool Contains(std::string_view unit_symbol) const;

  /// Number of distinct unit symbols.
  std::size_t size() const { return symbols_.size(); }

  /// The unit (4.x spelling) that defines \p symbol in an executable given
  /// to AddPaths, from its markers; nullopt if no executable defines it.
  /// The view lives as long as *this.
  std::optional<std::string_view> DefiningUnit(std::string_view symbol) const;

  /// Records that \p unit_symbol defines \p symbol.
  void AddDefinition(std::string symbol, std::string unit_symbol);

 private:
  absl::Status AddFile(const std::string& path);
  std::set<std::string, std::less<>> symbols_;
  std::map<std::string, std::string, std::less<>> defining_unit_;
};

/// Keeps, in place and in order, the readings of \p readings (of \p symbol)
/// that \p units confirms: if an executable says which unit defines
/// \p symbol, the readings of that unit; else the readings whose unit
/// \p units contains (readings without a unit, such as `caml_curry3`,
/// always stay). If none is confirmed, \p readings is left as it is.
/// Returns true if some reading was confirmed. \p scratch is reused to
/// spell units.
bool KeepKnownReadings(std::string_view symbol, const KnownUnits& units,
                       DemangledReadings& readings, std::string& scratch);

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_DEMANGLE_UNITS_H_
