// Counts heap allocations for the tests that prove a path allocates
// nothing: a test linked with //tests:allocation_counter has the global
// operator new (and new[]) replaced by one that counts each call and then
// allocates with malloc; delete frees with free.
#ifndef CAMLSYM_TESTS_ALLOCATION_COUNTER_H_
#define CAMLSYM_TESTS_ALLOCATION_COUNTER_H_

namespace camlsym::testing {

/// The number of calls to the global operator new and operator new[] made
/// so far by the process (all threads). Compare two readings around the
/// code under test.
long AllocationCount();

}  // namespace camlsym::testing

#endif  // CAMLSYM_TESTS_ALLOCATION_COUNTER_H_
