// The target an object was built for: the ELF machine (e_machine) of a
// relocatable object, and of each ELF member of an `ar` archive. The driver
// checks every object and archive of a link against --target before any
// tool runs, so that a foreign input gets one clear error instead of the
// linker's "file in wrong format" for each.
//
// Mirrors: nothing in OCaml (ocamlopt leaves this to the linker); the ELF
// header per the System V gABI (`e_machine` at byte 18), the `ar` format
// per ar(5) (GNU `/` and `//` members).
#ifndef CAMLSYM_TOOLS_ELF_MACHINE_H_
#define CAMLSYM_TOOLS_ELF_MACHINE_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "camlsym/target_system/target_system.h"

namespace camlsym {

/// `EM_X86_64` for x86-64, `EM_AARCH64` for AArch64.
uint16_t ElfMachineOf(const TargetSystem& target);

/// A name for ELF machine \p machine: "x86-64 (EM_X86_64)", ... or
/// "machine N".
std::string ElfMachineName(uint16_t machine);

/// Checks that \p path (a .o, .so, or a .a whose ELF members are checked
/// one by one) was built for \p target. OK for a file that is not ELF or
/// ar (the linker judges it), or that cannot be opened (PlanLink already
/// reported missing inputs). kFailedPrecondition naming the file (and
/// member) and both machines otherwise.
absl::Status CheckElfMachine(const std::string& path,
                             const TargetSystem& target);

}  // namespace camlsym

#endif  // CAMLSYM_TOOLS_ELF_MACHINE_H_
