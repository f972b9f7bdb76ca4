// The integrated assembler beside GNU as, for tests: one directive stream
// printed as GNU assembly and assembled by the target's `as`, and written
// by camlsym's own object writer, then compared with CompareObjects.

#ifndef CAMLSYM_TESTS_ASSEMBLE_BOTH_WAYS_H_
#define CAMLSYM_TESTS_ASSEMBLE_BOTH_WAYS_H_

#include <string>
#include <string_view>

#include "camlsym/emitters/directive.h"
#include "camlsym/target_system/target_system.h"

namespace camlsym::testing {

/// Prints \p stream for \p target (GasPrinter), assembles the text with the
/// target's GNU as (`as` for x86-64, `aarch64-linux-gnu-as` for AArch64)
/// and writes the same stream with WriteElfObject, in a fresh temporary
/// folder named after \p name. Returns CompareObjects(GNU as's, camlsym's):
/// "" when the two objects are equal; otherwise the differences, the
/// printer's or the object writer's error, or the assembler's failure with
/// the package to install.
std::string AssembleBothWays(const TargetSystem& target,
                             const DirectiveStream& stream,
                             std::string_view name);

}  // namespace camlsym::testing

#endif  // CAMLSYM_TESTS_ASSEMBLE_BOTH_WAYS_H_
