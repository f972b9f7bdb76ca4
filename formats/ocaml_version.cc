#include "camlsym/formats/ocaml_version.h"

#include <string>
#include <utility>

#include "camlsym/formats/str_cat.h"

namespace camlsym::formats {

std::string_view MagicDigits(OcamlVersion v) {
  switch (v) {
    case OcamlVersion::k413:
      return "030";
    case OcamlVersion::k51:
      return "033";
    case OcamlVersion::k52:
      return "034";
    case OcamlVersion::k53:
      return "035";
    case OcamlVersion::k54:
      return "036";
  }
  return "030";
}

std::string_view VersionName(OcamlVersion v) {
  switch (v) {
    case OcamlVersion::k413:
      return "4.13";
    case OcamlVersion::k51:
      return "5.1";
    case OcamlVersion::k52:
      return "5.2";
    case OcamlVersion::k53:
      return "5.3";
    case OcamlVersion::k54:
      return "5.4";
  }
  return "4.13";
}

std::optional<OcamlVersion> VersionOfMagicDigits(std::string_view digits) {
  for (OcamlVersion v : kOcamlVersions) {
    if (MagicDigits(v) == digits) return v;
  }
  return std::nullopt;
}

std::string ReleaseOfMagicDigits(std::string_view digits) {
  static constexpr std::pair<std::string_view, std::string_view> kReleases[] = {
      {"022", "4.06"}, {"023", "4.07"}, {"025", "4.08"}, {"026", "4.09"},
      {"027", "4.10"}, {"028", "4.11"}, {"029", "4.12"}, {"030", "4.13"},
      {"031", "4.14"}, {"032", "5.0"},  {"033", "5.1"},  {"034", "5.2"},
      {"035", "5.3"},  {"036", "5.4"}};
  for (const auto& [magic, release] : kReleases) {
    if (digits == magic) return internal::StrCat("OCaml ", release);
  }
  if (digits < "022") return "an OCaml older than 4.06";
  if (digits > "036") return "an OCaml newer than 5.4";
  return "an unknown OCaml version";
}

}  // namespace camlsym::formats
