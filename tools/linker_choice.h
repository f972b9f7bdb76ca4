// Which system linker `camlsym link` has the C compiler driver run: the one
// asked for with `--ld=bfd|gold|lld|mold`, which must then exist; else,
// for a link of few files mold and of many files lld (either, if only one
// is installed); else the driver's own default (GNU ld on Debian).
//
// Why both: mold 1.10 (Debian 12) is the faster of the two on a link of a
// few large inputs (the native compiler relinked from its three libraries:
// 0.13 s against lld's 0.19 s), but spends about 0.45 ms of CPU on each
// file named on its command line before it starts to link (2000 unit
// objects: 1.3 s of 1.5 s, where lld links them in 0.3 s); the two cross
// at about 100 files (measured with 50 to 2000 generated units).
//
// The choice reaches the driver as GCC's `-fuse-ld=NAME`, with which
// collect2 runs `ld.NAME` (`TRIPLE-ld.NAME` for a cross compiler) found on
// its program path or PATH. lld and mold link for every target but are
// installed once, unprefixed (`ld.lld`, `ld.mold`): for a cross target
// such a linker is given to the driver through a private directory holding
// only `ld.NAME` (a symbolic link to the program found), named with `-B`.
//
// Mirrors: utils/ccomp.ml `call_linker` (OCaml 4.13.1), which runs
// Config.mkexe / Config.mkdll and leaves the linker to the C compiler; and
// GCC 12's `-fuse-ld=` (gcc/collect2.cc), which names the program looked for.
#ifndef CAMLSYM_TOOLS_LINKER_CHOICE_H_
#define CAMLSYM_TOOLS_LINKER_CHOICE_H_

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "camlsym/target_system/target_system.h"

namespace camlsym {

/// The number of files on the linker's command line from which the default
/// is lld rather than mold (see the top of this file).
inline constexpr size_t kManyLinkerInputs = 100;

/// A linker that GCC's `-fuse-ld=` can name.
enum class LinkerName { kBfd, kGold, kLld, kMold };

/// Parses `bfd`, `gold`, `lld` or `mold` (the spelling of `--ld=` and of
/// `-fuse-ld=`). kInvalidArgument naming \p s and the accepted names.
absl::StatusOr<LinkerName> ParseLinkerName(std::string_view s);

/// The spelling ParseLinkerName accepts for \p name.
std::string_view LinkerNameString(LinkerName name);

/// The linker of one link: the driver arguments that select it, the program
/// that will run, and (for a cross target's lld or mold) the private
/// directory that shows it to the driver, removed on destruction. Move-only.
class LinkerChoice {
 public:
  /// Chooses the linker for linking \p target with its C compiler driver,
  /// \p input_files files (objects and archives) on the linker's command
  /// line. With \p requested, that linker: kNotFound naming the program
  /// looked for on PATH (`ld.NAME`, or for a target other than the host
  /// `TRIPLE-ld.NAME`, and for lld and mold also `ld.NAME`) and the Debian
  /// package that provides it, if there is none. Without, the first found
  /// as above of mold then lld, or of lld then mold from kManyLinkerInputs
  /// files, else the driver's default linker (no argument added).
  /// kInternal if the private directory cannot be made.
  static absl::StatusOr<LinkerChoice> Choose(
      std::optional<LinkerName> requested, const TargetSystem& target,
      size_t input_files);

  LinkerChoice(LinkerChoice&& other) noexcept;
  LinkerChoice& operator=(LinkerChoice&&) = delete;
  LinkerChoice(const LinkerChoice&) = delete;
  ~LinkerChoice();

  /// The linker chosen; nullopt for the C compiler driver's default.
  std::optional<LinkerName> name() const { return name_; }
  /// The linker program that will run: its path as found on PATH with
  /// symbolic links resolved (e.g. /usr/bin/mold), or, for the driver's
  /// default when no `ld` is on PATH, `ld`.
  const std::string& program() const { return program_; }
  /// Arguments for the C compiler driver (`-fuse-ld=mold`, maybe
  /// `-B DIR/`), to go before the user's own options so that an explicit
  /// `-fuse-ld=` among those still wins. Empty for the driver's default.
  const std::vector<std::string>& driver_flags() const { return flags_; }
  /// One line for `-verbose`: `mold (/usr/bin/mold)`, or
  /// `the C compiler's default (/usr/bin/x86_64-linux-gnu-ld.bfd)`.
  std::string Describe() const;

 private:
  LinkerChoice() = default;
  std::optional<LinkerName> name_;
  std::string program_;
  std::vector<std::string> flags_;
  /// The private directory and its one link, if made; removed by ~.
  std::string shim_dir_;
  std::string shim_link_;
};

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_LINKER_CHOICE_H_
