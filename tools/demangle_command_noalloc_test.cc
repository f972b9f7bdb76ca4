// Proves that `camlsym demangle` allocates nothing per line: this binary
// replaces the global operator new and counts calls, and the count for a
// filter run must not grow with the number of input lines (plain and JSON
// output, with and without --keep-stamps).
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>
#include <vector>

#include "camlsym/tools/demangle_command.h"
#include "gtest/gtest.h"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

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
  long before = g_allocations.load();
  int status = RunDemangle(args, in, out, err);
  long after = g_allocations.load();
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
