#include "camlsym/tests/assemble_both_ways.h"

#include "absl/status/statusor.h"
#include "camlsym/emitters/asm_printer.h"
#include "camlsym/emitters/output_streamer.h"
#include "camlsym/tests/object_compare.h"
#include "camlsym/tests/oracle_util.h"
#include "fmt/format.h"

namespace camlsym::testing {

std::string AssembleBothWays(const TargetSystem& target,
                             const DirectiveStream& stream,
                             std::string_view name) {
  absl::StatusOr<std::string> text =
      GasPrinter(target.asm_syntax()).PrintAll(stream.directives());
  if (!text.ok()) return std::string(text.status().message());
  absl::StatusOr<std::string> object = WriteElfObject(target, stream);
  if (!object.ok()) return std::string(object.status().message());
  const std::string dir = MakeTempDir(name);
  WriteFile(dir + "/in.s", *text);
  WriteFile(dir + "/ours.o", *object);
  const bool x86_64 = target.architecture() == Architecture::kX86_64;
  CommandResult as = RunShell(
      fmt::format("{} -o {} {} 2>&1", x86_64 ? "as" : "aarch64-linux-gnu-as",
                  ShellQuote(dir + "/gas.o"), ShellQuote(dir + "/in.s")));
  if (as.exit_code != 0) {
    return (x86_64 ? "as failed (install binutils): "
                   : "aarch64-linux-gnu-as failed (install "
                     "binutils-aarch64-linux-gnu, scripts/install-deps.sh): ") +
           as.out;
  }
  return CompareObjects(dir + "/gas.o", dir + "/ours.o");
}

}  // namespace camlsym::testing
