#include "camlsym/symbols/asm_symbol.h"

#include "fmt/format.h"

namespace camlsym {

const std::string& EncodedName(const AsmName& name) {
  return std::visit(
      [](const auto* n) -> const std::string& { return n->encoded(); }, name);
}

const std::optional<Section>& SectionOf(const AsmName& name) {
  return std::visit(
      [](const auto* n) -> const std::optional<Section>& {
        return n->section();
      },
      name);
}

AsmSymbol* AsmContext::GetOrCreateSymbol(const BackendSymbol& backend) {
  return Intern(syntax_.Encode(backend.name()), backend.object_file(),
                backend.kind());
}

AsmSymbol* AsmContext::GetOrCreateSymbol(BackendSymbol&& backend) {
  const SymbolKind kind = backend.kind();
  std::string encoded = syntax_.EncodeMoved(std::move(backend).ReleaseName());
  return Intern(std::move(encoded), backend.object_file(), kind);
}

AsmSymbol* AsmContext::Intern(std::string encoded, const ObjectFile& file,
                              SymbolKind kind) {
  // One hash and probe: the symbol is made in place if the name is new.
  auto it = symbols_by_name_.lazy_emplace(
      std::string_view(encoded), [&](const auto& construct) {
        const bool undefined =
            ObjectFile::ReferenceLinkage(current_, file) == Linkage::kUndefined;
        if (last_file_ == nullptr || *last_file_ != file) {
          last_file_ = &*files_.insert(file).first;
        }
        construct(&symbols_.emplace_back(AsmSymbol::Key(), std::move(encoded),
                                         last_file_, kind, undefined));
      });
  return *it;
}

AsmLabel* AsmContext::CreateLabel() {
  std::string encoded =
      fmt::format("{}{}", syntax_.LocalLabelPrefix(), next_label_++);
  labels_.push_back(std::unique_ptr<AsmLabel>(new AsmLabel(encoded)));
  AsmLabel* label = labels_.back().get();
  labels_by_name_.emplace(std::move(encoded), label);
  return label;
}

absl::StatusOr<AsmLabel*> AsmContext::CreateNamedLabel(std::string_view name) {
  if (name.empty()) {
    return absl::InvalidArgumentError("empty label name");
  }
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '_';
    if (!ok) {
      return absl::InvalidArgumentError(fmt::format(
          "label name \"{}\" has a character that needs escaping", name));
    }
  }
  std::string encoded = fmt::format("{}{}", syntax_.LocalLabelPrefix(), name);
  if (labels_by_name_.contains(encoded)) {
    return absl::AlreadyExistsError(
        fmt::format("label {} already exists", encoded));
  }
  labels_.push_back(std::unique_ptr<AsmLabel>(new AsmLabel(encoded)));
  AsmLabel* label = labels_.back().get();
  labels_by_name_.emplace(std::move(encoded), label);
  return label;
}

absl::Status AsmContext::Define(AsmSymbol& sym, Section section) {
  if (sym.undefined_) {
    return absl::FailedPreconditionError(
        fmt::format("cannot define {} in {}: it belongs to {}", sym.encoded(),
                    current_, sym.object_file()));
  }
  if (sym.section_.has_value()) {
    return absl::AlreadyExistsError(fmt::format(
        "symbol {} is already defined (in {})", sym.encoded(), *sym.section_));
  }
  sym.section_ = section;
  return absl::OkStatus();
}

absl::Status AsmContext::Define(AsmLabel& label, Section section) {
  if (label.section_.has_value()) {
    return absl::AlreadyExistsError(
        fmt::format("label {} is already defined (in {})", label.encoded(),
                    *label.section_));
  }
  label.section_ = section;
  return absl::OkStatus();
}

absl::StatusOr<std::string> AsmContext::Reference(const AsmSymbol& sym,
                                                  Relocation reloc) const {
  return syntax_.Decorate(sym.encoded(), reloc);
}

absl::StatusOr<AsmDifference> AsmDifference::Create(AsmName a, AsmName b) {
  const std::optional<Section>& sa = SectionOf(a);
  const std::optional<Section>& sb = SectionOf(b);
  if (!sa.has_value() || !sb.has_value()) {
    return absl::FailedPreconditionError(fmt::format(
        "cannot subtract {} from {}: {} is not yet defined in a section",
        EncodedName(b), EncodedName(a),
        sa.has_value() ? EncodedName(b) : EncodedName(a)));
  }
  if (*sa != *sb) {
    return absl::InvalidArgumentError(fmt::format(
        "cannot subtract {} (in {}) from {} (in {}): labels of different "
        "sections",
        EncodedName(b), *sb, EncodedName(a), *sa));
  }
  return AsmDifference(a, b);
}

std::string AsmDifference::Print() const {
  return fmt::format("{}-{}", EncodedName(a_), EncodedName(b_));
}

}  // namespace camlsym
