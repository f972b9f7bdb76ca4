// The link-dependency checks of OCaml 5.3 and 5.4: which compilation units a
// link still needs (so that a library unit is linked if a later unit needs
// it), and the three errors found once all files are scanned: a module
// defined by two files, a unit linked before a unit it depends on, and (for
// a complete link, i.e. an executable) modules no file implements.
//
// Files are added in the order asmlink.ml scans them: from the last file on
// the command line to the first, and within a library from its last unit to
// its first. Errors list their entries in the order of OCaml's Hashtbl
// (`Hashtbl.to_seq` over tables created with size 17), as linkdeps.ml does.
//
// Mirrors: utils/linkdeps.ml (OCaml 5.3.0; unchanged in 5.4) and its use in
// asmcomp/asmlink.ml (`scan_file`, `link`, `link_shared`).
#ifndef CAMLSYM_LINKING_STATE_LINKDEPS_H_
#define CAMLSYM_LINKING_STATE_LINKDEPS_H_

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "camlsym/linking_state/ocaml_hashtbl.h"

namespace camlsym {

/// A compilation unit and the file (.cmx or .cmxa) it was read from
/// (linkdeps.ml `compunit_and_source`). Ordered as OCaml's `compare` orders
/// the record: by unit name, then file name, bytewise.
struct CompunitAndSource {
  std::string compunit;
  std::string filename;
  friend bool operator==(const CompunitAndSource&,
                         const CompunitAndSource&) = default;
  friend auto operator<=>(const CompunitAndSource&,
                          const CompunitAndSource&) = default;
};

/// Whether every required unit must be provided (`~complete`): true for an
/// executable, false for a plugin, whose imports the main program
/// provides.
enum class LinkCompleteness { kComplete, kIncomplete };

/// Whether messages put unit and file names in double quotes (5.3's
/// Misc.Style.inline_code without colors) or print them bare (5.4.1).
enum class NameQuoting { kBare, kQuoted };

/// The state of one link's dependency checks (linkdeps.ml `t`).
class Linkdeps {
 public:
  Linkdeps(LinkCompleteness completeness, NameQuoting quoting);

  /// `required t compunit`: true if a unit added so far requires
  /// \p compunit and no unit added since provides it.
  bool Required(std::string_view compunit) const;

  /// `add t ~filename ~compunit ~provides ~requires`: unit \p compunit of
  /// file \p filename requires the units \p required_units (its
  /// ui_imports_cmx names) and provides \p provided_units (its ui_defines).
  void Add(std::string_view filename, std::string_view compunit,
           const std::vector<std::string>& provided_units,
           const std::vector<std::string>& required_units);

  /// `check t` then `report_error`: OK, or kFailedPrecondition with OCaml
  /// 5.3's message (names quoted as 5.3 quotes them, or bare as 5.4.1
  /// prints them) for the first error of: multiple definitions
  /// ("Duplicated implementations: Multiple definitions of module "A" in
  /// files "a.cmx", "d/a.cmx""), wrong link order ("Wrong link order: "B"
  /// (b.cmx) depends on "A" (a.cmx)"), missing implementations, complete
  /// links only ("No implementation provided for the following modules:
  /// "A" referenced from "B" (b.cmx)"). Each entry of a list starts a line
  /// indented by two spaces where OCaml's boxes break the line; camlsym does
  /// not wrap long lines at 78 columns as OCaml's Format does.
  absl::Status Check() const;

 private:
  struct PairHasher {
    uint32_t operator()(const CompunitAndSource& k) const {
      return OcamlStringPairHash(k.compunit, k.filename);
    }
  };
  using Refs = std::set<CompunitAndSource>;

  void AddRequired(const CompunitAndSource& by, const std::string& name);

  std::string Code(std::string_view s) const;
  std::string Reference(const CompunitAndSource& r) const;
  std::string References(const Refs& refs) const;

  LinkCompleteness completeness_;
  NameQuoting quoting_;
  /// Unit -> who requires it, while no added unit provides it.
  OcamlStringHashtbl<Refs> missing_compunits_;
  /// Unit -> the files providing it, most recently added first.
  OcamlStringHashtbl<std::vector<std::string>> provided_compunits_;
  /// A required unit and the file already providing it -> who requires it:
  /// units that come before their dependency.
  OcamlHashtbl<CompunitAndSource, Refs, PairHasher> badly_ordered_deps_;
};

}  // namespace camlsym

#endif  // CAMLSYM_LINKING_STATE_LINKDEPS_H_
