// Helpers for the formats/ tests: hex conversion and comparison of value
// graphs up to node numbering.
//
// Mirrors: nothing in OCaml (test support).

#ifndef CAMLSYM_FORMATS_TEST_UTIL_H_
#define CAMLSYM_FORMATS_TEST_UTIL_H_

#include <string>
#include <string_view>

#include "camlsym/formats/marshal_value.h"

namespace camlsym::formats::testing {

/// Lowercase hex of \p bytes, two digits a byte.
std::string ToHex(std::string_view bytes);

/// The bytes of the hex string \p hex (even length, [0-9a-fA-F]); stops at
/// the first invalid pair.
std::string FromHex(std::string_view hex);

/// Compares \p a in \p ga with \p b in \p gb as OCaml heap graphs: same
/// shapes and contents, and the same sharing (a bijection between the nodes
/// reached). Atoms (blocks of size 0) compare by tag only, as OCaml does not
/// share them. Returns "" when equal, else a description of the first
/// difference.
std::string CompareGraphs(const MarshalGraph& ga, Value a,
                          const MarshalGraph& gb, Value b);

}  // namespace camlsym::formats::testing

#endif  // CAMLSYM_FORMATS_TEST_UTIL_H_
