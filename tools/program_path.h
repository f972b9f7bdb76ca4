// Where a program named without a directory is found: the lookup of
// execvp(3) and the shell, done without running anything.
#ifndef CAMLSYM_TOOLS_PROGRAM_PATH_H_
#define CAMLSYM_TOOLS_PROGRAM_PATH_H_

#include <optional>
#include <string>

namespace camlsym {

/// The first executable regular file named \p program in the directories
/// of $PATH (`/usr/bin:/bin` if unset; an empty entry is the current
/// directory), spelled as that directory and the name (symbolic links not
/// resolved), e.g. `/usr/bin/ocamlopt`. nullopt if there is none.
std::optional<std::string> FindOnPath(const std::string& program);

/// \p path with symbolic links and `.`/`..` resolved (realpath(3)), or
/// nullopt if it does not exist or cannot be resolved.
std::optional<std::string> ResolvedPath(const std::string& path);

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_PROGRAM_PATH_H_
