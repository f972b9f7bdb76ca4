#include "camlsym/linking_state/linkdeps.h"

#include <utility>

#include "fmt/format.h"
#include "fmt/ranges.h"

namespace camlsym {
namespace {

// Hashtbl.create 17, as linkdeps.ml `create` makes its three tables.
constexpr size_t kInitialTableSize = 17;

}  // namespace

// Style.inline_code without colors.
std::string Linkdeps::Code(std::string_view s) const {
  return quoting_ == NameQuoting::kQuoted ? fmt::format("\"{}\"", s)
                                          : std::string(s);
}

// print_reference: `"Unit" (file)`.
std::string Linkdeps::Reference(const CompunitAndSource& r) const {
  return fmt::format("{} ({})", Code(r.compunit), r.filename);
}

std::string Linkdeps::References(const Refs& refs) const {
  std::vector<std::string> out;
  for (const CompunitAndSource& r : refs) out.push_back(Reference(r));
  return fmt::format("{}", fmt::join(out, ", "));
}

Linkdeps::Linkdeps(LinkCompleteness completeness, NameQuoting quoting)
    : completeness_(completeness),
      quoting_(quoting),
      missing_compunits_(kInitialTableSize),
      provided_compunits_(kInitialTableSize),
      badly_ordered_deps_(kInitialTableSize) {}

bool Linkdeps::Required(std::string_view compunit) const {
  return missing_compunits_.Find(std::string(compunit)) != nullptr;
}

void Linkdeps::AddRequired(const CompunitAndSource& by,
                           const std::string& name) {
  if (const std::vector<std::string>* files = provided_compunits_.Find(name);
      files != nullptr && !files->empty()) {
    const CompunitAndSource dep{name, files->front()};
    if (Refs* refs = badly_ordered_deps_.FindMutable(dep); refs != nullptr) {
      refs->insert(by);
    } else {
      badly_ordered_deps_.Replace(dep, Refs{by});
    }
  }
  // Each set grows in place: a unit required by every other one (Stdlib's
  // modules) would otherwise be copied once per reference, quadratically.
  if (Refs* refs = missing_compunits_.FindMutable(name); refs != nullptr) {
    refs->insert(by);
  } else {
    missing_compunits_.Replace(name, Refs{by});
  }
}

void Linkdeps::Add(std::string_view filename, std::string_view compunit,
                   const std::vector<std::string>& provided_units,
                   const std::vector<std::string>& required_units) {
  const CompunitAndSource by{std::string(compunit), std::string(filename)};
  for (const std::string& r : required_units) AddRequired(by, r);
  for (const std::string& p : provided_units) {
    missing_compunits_.Remove(p);
    const std::vector<std::string>* files = provided_compunits_.Find(p);
    std::vector<std::string> updated = {std::string(filename)};
    if (files != nullptr) {
      updated.insert(updated.end(), files->begin(), files->end());
    }
    provided_compunits_.Replace(p, std::move(updated));
  }
}

absl::Status Linkdeps::Check() const {
  std::vector<std::string> duplicated;
  for (const auto* b : provided_compunits_.FoldOrder()) {
    if (b->value.size() <= 1) continue;
    std::vector<std::string> files;
    for (const std::string& f : b->value) files.push_back(Code(f));
    duplicated.push_back(
        fmt::format("\n  Multiple definitions of module {} in files {}",
                    Code(b->key), fmt::join(files, ", ")));
  }
  if (!duplicated.empty()) {
    // linkdeps.ml prints " Duplicated implementations:" with a leading
    // space; camlsym's messages start after "camlsym link: ".
    return absl::FailedPreconditionError(fmt::format(
        "Duplicated implementations:{}", fmt::join(duplicated, ",")));
  }
  std::vector<std::string> badly_ordered;
  for (const auto* b : badly_ordered_deps_.FoldOrder()) {
    badly_ordered.push_back(fmt::format(
        "{} depends on {}", References(b->value), Reference(b->key)));
  }
  if (!badly_ordered.empty()) {
    return absl::FailedPreconditionError(
        fmt::format("Wrong link order: {}", fmt::join(badly_ordered, ", ")));
  }
  if (completeness_ == LinkCompleteness::kComplete &&
      missing_compunits_.size() > 0) {
    std::string msg = "No implementation provided for the following modules:";
    for (const auto* b : missing_compunits_.FoldOrder()) {
      msg += fmt::format("\n  {} referenced from {}", Code(b->key),
                         References(b->value));
    }
    return absl::FailedPreconditionError(msg);
  }
  return absl::OkStatus();
}

}  // namespace camlsym
