#include "camlsym/symbols/mangling_scheme.h"

#include "fmt/format.h"

namespace camlsym {

ManglingScheme::ManglingScheme(ManglingVersion version,
                               SeparatorPlatform platform)
    : version_(version) {
  switch (version) {
    case ManglingVersion::kOcaml413:
      separator_ = "__";
      break;
    case ManglingVersion::kOcaml51:
      separator_ = ".";
      break;
    case ManglingVersion::kOcaml54:
      separator_ = platform == SeparatorPlatform::kAppleOrNonUnix ? "$" : ".";
      break;
  }
}

absl::StatusOr<ManglingScheme> ManglingScheme::Parse(
    std::string_view name, SeparatorPlatform platform) {
  if (name == "ocaml-4.13") {
    return ManglingScheme(ManglingVersion::kOcaml413, platform);
  }
  if (name == "ocaml-5.1") {
    return ManglingScheme(ManglingVersion::kOcaml51, platform);
  }
  if (name == "ocaml-5.4") {
    return ManglingScheme(ManglingVersion::kOcaml54, platform);
  }
  return absl::InvalidArgumentError(fmt::format(
      "unknown mangling scheme \"{}\"; supported: ocaml-4.13, ocaml-5.1, "
      "ocaml-5.4",
      name));
}

std::string_view ManglingScheme::name() const {
  switch (version_) {
    case ManglingVersion::kOcaml413:
      return "ocaml-4.13";
    case ManglingVersion::kOcaml51:
      return "ocaml-5.1";
    case ManglingVersion::kOcaml54:
      return "ocaml-5.4";
  }
  return "";
}

std::string ManglingScheme::UnitSymbolName(const CompilationUnit& unit) const {
  std::string out;
  for (const UnitName& p : unit.for_pack_prefix()) {
    out += p.str();
    out += separator_;
  }
  out += unit.name().str();
  return out;
}

std::string ManglingScheme::MangleModuleBlock(
    std::string_view unit_symbol_name) const {
  std::string out;
  out.reserve(4 + unit_symbol_name.size());
  out += "caml";
  out += unit_symbol_name;
  return out;
}

std::string ManglingScheme::Mangle(std::string_view unit_symbol_name,
                                   std::string_view local_name) const {
  // (Appended, not formatted: a large startup mangles tens of thousands of
  // markers.)
  std::string out;
  out.reserve(4 + unit_symbol_name.size() + separator_.size() +
              local_name.size());
  out += "caml";
  out += unit_symbol_name;
  out += separator_;
  out += local_name;
  return out;
}

}  // namespace camlsym
