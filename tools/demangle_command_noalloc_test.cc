// Proves that `camlsym demangle` allocates nothing per line: this binary
// counts calls of the global operator new (tests/allocation_counter.h), and
// the count for a filter run must not grow with the number of input lines
// (plain and JSON output, with and without --keep-stamps).
#include <cstdio>
#include <string>
#include <vector>

#include "camlsym/tests/allocation_counter.h"
#include "camlsym/tools/demangle_command.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

// Allocations of one RunDemangle over \p lines copies of a mixed line.
long AllocationsFor(int lines, const std::vector<std::string>& args) {
  const std::string line =
      "0000000000001234 T camlStdlib__List__map_289 in camlX$27y.f_270, "
      "camlA_b__c__f_83 and caml_curry3 caml_alloc camlUpper__Case___entry.\n";
  std::FILE* in = std::tmpfile();
  std::FILE* out = std::tmpfile();
  std::FILE* err = std::tmpfile();
  for (int i = 0; i < lines; ++i) std::fputs(line.c_str(), in);
  std::rewind(in);
  long before = testing::AllocationCount();
  int status = RunDemangle(args, in, out, err);
  long after = testing::AllocationCount();
  EXPECT_EQ(status, 0);
  EXPECT_GT(std::ftell(out), 0L);
  std::fclose(in);
  std::fclose(out);
  std::fclose(err);
  return after - before;
}

TEST(DemangleCommandNoAllocTest, AllocationsDoNotGrowWithLines) {
  const std::vector<std::vector<std::string>> modes = {
      {}, {"--keep-stamps"}, {"--json"}};
  for (const std::vector<std::string>& args : modes) {
    long small = AllocationsFor(10, args);
    long large = AllocationsFor(20000, args);
    EXPECT_EQ(small, large) << (args.empty() ? "plain" : args[0]);
  }
}

}  // namespace
}  // namespace camlsym
