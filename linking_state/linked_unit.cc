#include "camlsym/linking_state/linked_unit.h"

#include <string>
#include <utility>

#include "fmt/format.h"

namespace camlsym {
namespace {

absl::Status BadUnit(std::string_view file, const formats::UnitInfos& info,
                     std::string_view what) {
  return absl::InvalidArgumentError(fmt::format(
      "{}: unit {} (symbol {}): {}", file, info.name, info.symbol, what));
}

// Splits \p path at each \p separator into module names, appending them to
// \p out. Errors as UnitName::Create, for the first bad component.
absl::Status AppendPath(std::string_view path, std::string_view separator,
                        std::vector<UnitName>& out) {
  while (true) {
    const size_t sep = path.find(separator);
    absl::StatusOr<UnitName> name = UnitName::Create(path.substr(0, sep));
    if (!name.ok()) return name.status();
    out.push_back(*std::move(name));
    if (sep == std::string_view::npos) return absl::OkStatus();
    path.remove_prefix(sep + separator.size());
  }
}

}  // namespace

absl::StatusOr<std::string> ObjectFileNameOfFile(std::string_view file) {
  for (auto [suffix, object_suffix] :
       {std::pair<std::string_view, std::string_view>{".cmx", ".o"},
        {".cmxa", ".a"}}) {
    if (file.size() > suffix.size() && file.ends_with(suffix)) {
      return fmt::format("{}{}", file.substr(0, file.size() - suffix.size()),
                         object_suffix);
    }
  }
  return absl::InvalidArgumentError(fmt::format(
      "{}: not a .cmx or .cmxa file, so no object file to read", file));
}

LinkedUnit LinkedUnitOf(CompilationUnit unit) {
  ObjectFile object_file = ObjectFile::OtherUnit(unit);
  std::vector<LinkedModule> defines = {LinkedModule{unit, object_file}};
  return LinkedUnit{std::move(unit), std::move(object_file), std::move(defines),
                    ""};
}

absl::StatusOr<LinkedUnit> TypeUnitInfos(const formats::UnitInfos& info,
                                         std::string_view file) {
  absl::StatusOr<std::string> object_path = ObjectFileNameOfFile(file);
  if (!object_path.ok()) return object_path.status();
  absl::StatusOr<UnitName> name = UnitName::Create(info.name);
  if (!name.ok()) {
    return BadUnit(file, info,
                   fmt::format("the unit name is not a module name: {}",
                               std::string(name.status().message())));
  }
  std::vector<UnitName> prefix;
  const std::string_view symbol = info.symbol;
  if (info.for_pack.has_value()) {
    // ui_for_pack (5.1 on): the -for-pack argument as given.
    absl::StatusOr<std::vector<UnitName>> p =
        CompilationUnit::ParsePrefix(*info.for_pack);
    if (!p.ok()) {
      return BadUnit(file, info,
                     fmt::format("bad for-pack prefix: {}",
                                 std::string(p.status().message())));
    }
    prefix = *std::move(p);
  } else if (symbol != info.name) {
    // 4.13 symbolname_for_pack: ui_symbol = the prefix path joined by `__`,
    // `__`, ui_name.
    constexpr std::string_view kSep = "__";
    const size_t tail = kSep.size() + info.name.size();
    if (symbol.size() <= tail || !symbol.ends_with(info.name) ||
        symbol.substr(symbol.size() - tail, kSep.size()) != kSep) {
      return BadUnit(file, info,
                     "the symbol is neither the unit name nor a for-pack "
                     "prefix, \"__\" and the unit name");
    }
    if (absl::Status s =
            AppendPath(symbol.substr(0, symbol.size() - tail), kSep, prefix);
        !s.ok()) {
      return BadUnit(
          file, info,
          fmt::format("bad for-pack prefix: {}", std::string(s.message())));
    }
  }
  CompilationUnit unit(std::move(prefix), *std::move(name));
  ObjectFile object_file = ObjectFile::OtherUnit(unit);
  if (info.defines.empty() || info.defines.back() != info.symbol) {
    return BadUnit(file, info, "its defines do not end with its symbol");
  }
  std::vector<LinkedModule> defines;
  defines.reserve(info.defines.size());
  for (size_t i = 0; i + 1 < info.defines.size(); ++i) {
    // A pack member: the pack's symbol, a separator, the member's path.
    std::string_view member = info.defines[i];
    std::string_view sep;
    if (member.starts_with(symbol)) {
      for (std::string_view s : {"__", ".", "$"}) {
        if (member.substr(symbol.size()).starts_with(s)) {
          sep = s;
          break;
        }
      }
    }
    if (sep.empty() || member.size() <= symbol.size() + sep.size()) {
      return BadUnit(
          file, info,
          fmt::format("defines \"{}\", which is not a member of the pack",
                      member));
    }
    std::vector<UnitName> path = unit.for_pack_prefix();
    path.push_back(unit.name());
    if (absl::Status s =
            AppendPath(member.substr(symbol.size() + sep.size()), sep, path);
        !s.ok()) {
      return BadUnit(file, info,
                     fmt::format("bad pack member \"{}\": {}", member,
                                 std::string(s.message())));
    }
    UnitName member_name = std::move(path.back());
    path.pop_back();
    defines.push_back(LinkedModule{
        CompilationUnit(std::move(path), std::move(member_name)), object_file});
  }
  defines.push_back(LinkedModule{unit, object_file});
  return LinkedUnit{std::move(unit), std::move(object_file), std::move(defines),
                    *std::move(object_path)};
}

}  // namespace camlsym
