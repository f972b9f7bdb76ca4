// Assembly symbols and labels, interned by an AsmContext for one assembly
// file. An assembly symbol is a named entity of the object file's symbol
// table, bound to the object file that defines it and, once defined here, to
// one section; a label is local to the assembler. Binding lets the context
// refuse what assemblers refuse: defining a name twice, and subtracting
// labels that live in different sections.
//
// Mirrors: LLVM MC (MCContext::getOrCreateSymbol, MCSymbol::getSection,
// MCExpr) and OxCaml backend/asm_targets (Asm_symbol, Asm_label, which
// compare by encoded form); OCaml 4.13.1 asmcomp/emitaux.ml for encoding.
#ifndef CAMLSYM_SYMBOLS_ASM_SYMBOL_H_
#define CAMLSYM_SYMBOLS_ASM_SYMBOL_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/node_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "camlsym/symbols/asm_syntax.h"
#include "camlsym/symbols/backend_symbol.h"
#include "camlsym/symbols/section.h"

namespace camlsym {

class AsmContext;

/// A symbol of the object file's symbol table. A handle: owned by its
/// AsmContext, never copied, address stable for the context's lifetime.
class AsmSymbol {
 public:
  AsmSymbol(const AsmSymbol&) = delete;
  AsmSymbol& operator=(const AsmSymbol&) = delete;

  /// Code or data, as the backend symbol it encodes.
  SymbolKind kind() const { return kind_; }
  /// The name as written in the assembly file (escaped, with the target's
  /// global prefix): symbols compare by this form.
  const std::string& encoded() const { return encoded_; }
  /// The object file that defines it (interned by the AsmContext).
  const ObjectFile& object_file() const { return *file_; }
  /// The section it was defined in, once AsmContext::Define() bound it.
  const std::optional<Section>& section() const { return section_; }
  /// Whether it is undefined in the context's object file: defined in
  /// another object file (and so resolved by the linker).
  bool IsUndefined() const { return undefined_; }

 private:
  friend class AsmContext;
  // What only AsmContext can make: the constructor below is public for
  // AsmContext's container to construct symbols in place, with a Key.
  class Key {
    friend class AsmContext;
    Key() = default;
  };

 public:
  /// For AsmContext only (\p Key is its own): use GetOrCreateSymbol().
  AsmSymbol(Key, std::string encoded, const ObjectFile* file, SymbolKind kind,
            bool undefined)
      : encoded_(std::move(encoded)),
        file_(file),
        kind_(kind),
        undefined_(undefined) {}

 private:
  // Only what an assembly symbol needs of its backend symbol: a large
  // startup file has hundreds of thousands of them.
  std::string encoded_;
  const ObjectFile* file_;
  SymbolKind kind_;
  bool undefined_;
  std::optional<Section> section_;
};

/// An assembler-local label (`.L12` on ELF, `L12` on Mach-O). A handle like
/// AsmSymbol.
class AsmLabel {
 public:
  AsmLabel(const AsmLabel&) = delete;
  AsmLabel& operator=(const AsmLabel&) = delete;

  /// The label as written, with the target's local prefix.
  const std::string& encoded() const { return encoded_; }
  /// The section it was defined in, once bound.
  const std::optional<Section>& section() const { return section_; }

 private:
  friend class AsmContext;
  explicit AsmLabel(std::string encoded) : encoded_(std::move(encoded)) {}
  std::string encoded_;
  std::optional<Section> section_;
};

/// Either kind of assembler name, as an operand of an expression.
using AsmName = std::variant<const AsmSymbol*, const AsmLabel*>;

/// The written form of \p name.
const std::string& EncodedName(const AsmName& name);
/// The section \p name is bound to, if any.
const std::optional<Section>& SectionOf(const AsmName& name);

/// Owns and uniques the symbols and labels of one assembly file (the object
/// file \p current).
class AsmContext {
 public:
  /// \p syntax spells names; \p current is the object file being written.
  AsmContext(AsmSyntax syntax, ObjectFile current)
      : syntax_(std::move(syntax)), current_(std::move(current)) {}
  AsmContext(const AsmContext&) = delete;
  AsmContext& operator=(const AsmContext&) = delete;

  const AsmSyntax& syntax() const { return syntax_; }
  const ObjectFile& current_file() const { return current_; }

  /// The symbol for \p backend, created on first use. Never null; lives as
  /// long as *this. A symbol whose object file is not the current one is
  /// undefined here (ObjectFile::ReferenceLinkage).
  AsmSymbol* GetOrCreateSymbol(const BackendSymbol& backend);
  /// The same, taking \p backend's name for the symbol's when it needs no
  /// escaping (no copy of it).
  AsmSymbol* GetOrCreateSymbol(BackendSymbol&& backend);

  /// A fresh numbered label. Never null; lives as long as *this.
  AsmLabel* CreateLabel();

  /// A label named `<local prefix><name>`. kInvalidArgument if \p name is
  /// empty or has a character outside `[A-Za-z0-9_]` (which would need
  /// escaping); kAlreadyExists if the context already has it.
  absl::StatusOr<AsmLabel*> CreateNamedLabel(std::string_view name);

  /// Binds \p sym to \p section, as the assembler's `sym:` does.
  /// kAlreadyExists if it is already bound; kFailedPrecondition if \p sym
  /// belongs to another object file than the current one.
  absl::Status Define(AsmSymbol& sym, Section section);
  /// Binds \p label to \p section. kAlreadyExists if already bound.
  absl::Status Define(AsmLabel& label, Section section);

  /// The operand for a reference to \p sym with \p reloc, e.g.
  /// `caml_curry3@PLT`. kInvalidArgument as AsmSyntax::Decorate().
  absl::StatusOr<std::string> Reference(const AsmSymbol& sym,
                                        Relocation reloc) const;

  /// Number of symbols interned.
  size_t num_symbols() const { return symbols_.size(); }

  /// Makes room for \p symbols symbols in all, so that creating that many
  /// does not rehash (a large startup file knows how many it will name).
  void ReserveSymbols(size_t symbols) { symbols_by_name_.reserve(symbols); }

 private:
  // The symbol named \p encoded, created for \p file and \p kind if new.
  AsmSymbol* Intern(std::string encoded, const ObjectFile& file,
                    SymbolKind kind);

  AsmSyntax syntax_;
  ObjectFile current_;
  // The symbols themselves, in blocks (stable addresses, no allocation per
  // symbol).
  std::deque<AsmSymbol> symbols_;
  // The object files symbols belong to, each held once (stable addresses).
  absl::node_hash_set<ObjectFile> files_;
  // The file of the symbol created last (a module's markers come together):
  // no hashing when the next one shares it.
  const ObjectFile* last_file_ = nullptr;
  std::vector<std::unique_ptr<AsmLabel>> labels_;
  // Symbols keyed by their own encoded name (no second copy of the name:
  // a large startup file has hundreds of thousands of symbols).
  struct EncodedHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const {
      return absl::Hash<absl::string_view>{}(
          absl::string_view(s.data(), s.size()));
    }
    size_t operator()(const AsmSymbol* s) const {
      return (*this)(std::string_view(s->encoded()));
    }
  };
  struct EncodedEq {
    using is_transparent = void;
    static std::string_view Key(std::string_view s) { return s; }
    static std::string_view Key(const AsmSymbol* s) { return s->encoded(); }
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return Key(a) == Key(b);
    }
  };
  absl::flat_hash_set<AsmSymbol*, EncodedHash, EncodedEq> symbols_by_name_;
  absl::flat_hash_map<std::string, AsmLabel*> labels_by_name_;
  int64_t next_label_ = 100;
};

/// `a - b`, an assemble-time constant only when both are bound to the same
/// section. Immutable value.
class AsmDifference {
 public:
  /// kFailedPrecondition if either is not yet bound to a section;
  /// kInvalidArgument if they are bound to different sections (the
  /// assembler cannot compute the difference), naming both and their
  /// sections.
  static absl::StatusOr<AsmDifference> Create(AsmName a, AsmName b);

  AsmName minuend() const { return a_; }
  AsmName subtrahend() const { return b_; }
  /// `a-b` as written in the assembly file.
  std::string Print() const;

 private:
  AsmDifference(AsmName a, AsmName b) : a_(a), b_(b) {}
  AsmName a_, b_;
};

}  // namespace camlsym

#endif  // CAMLSYM_SYMBOLS_ASM_SYMBOL_H_
