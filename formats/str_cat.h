// absl::StrCat that also takes std::string_view. Debian's Abseil is built
// with its own absl::string_view, which AlphaNum accepts but std::string_view
// does not convert to.
//
// Mirrors: nothing in OCaml (a build-environment adapter).

#ifndef CAMLSYM_FORMATS_STR_CAT_H_
#define CAMLSYM_FORMATS_STR_CAT_H_

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace camlsym::formats::internal {

/// \p s as an AlphaNum; the result refers to \p s's bytes.
inline absl::AlphaNum ToAlphaNum(std::string_view s) {
  return absl::AlphaNum(absl::string_view(s.data(), s.size()));
}
/// Anything absl::AlphaNum accepts, unchanged.
template <typename T>
const T& ToAlphaNum(const T& t) {
  return t;
}

/// absl::StrCat over \p args, where std::string_view is also accepted.
template <typename... Args>
std::string StrCat(const Args&... args) {
  return absl::StrCat(ToAlphaNum(args)...);
}

}  // namespace camlsym::formats::internal

#endif  // CAMLSYM_FORMATS_STR_CAT_H_
