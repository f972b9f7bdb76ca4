// The assembler core: takes a directive stream, keeps each section as
// fragments (bytes with fixups, alignments, relaxable branches), lays the
// sections out with branch relaxation, resolves what an assembler
// resolves (label differences, PC-relative references within a section)
// and turns every other fixup into a relocation entry, against the symbol
// or against the target's section as GNU as chooses. It knows no target:
// encodings, fixup values and relaxation rules come from an AsmBackend,
// and the object file format is the writer's (elf_object_writer.h).
//
// Mirrors: LLVM MC's MCAssembler (layout, relaxation, fixup evaluation)
// and MCObjectStreamer (fragments built as directives arrive); GNU as
// (gas/write.c) for which references become relocations and against what.
#ifndef CAMLSYM_EMITTERS_ASSEMBLER_H_
#define CAMLSYM_EMITTERS_ASSEMBLER_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "camlsym/emitters/asm_backend.h"
#include "camlsym/emitters/directive.h"

namespace camlsym {

/// One relocation the object file must carry.
struct RelocationEntry {
  /// Bytes from the start of the section to the field.
  uint64_t offset = 0;
  FixupKind kind = kFixupData64;
  /// Against this symbol (an index into AssembledObject::symbols), or (-1)
  /// against section \p section's symbol.
  int32_t symbol = -1;
  int32_t section = -1;
  int64_t addend = 0;
};

/// One laid-out section.
struct AssembledSection {
  Section section;
  /// The largest `.align` in it.
  uint64_t alignment_bytes = 1;
  std::string contents;
  std::vector<RelocationEntry> relocations;
};

/// One symbol named in the file, defined here or not.
struct AssembledSymbol {
  const AsmSymbol* symbol = nullptr;
  bool global = false;
  std::optional<SymbolType> type;
  /// Index into AssembledObject::sections; -1 if undefined.
  int32_t section = -1;
  uint64_t value = 0;
  /// From `.size sym, . - sym`; 0 without.
  uint64_t size_bytes = 0;
};

/// One CFA rule change inside a procedure.
struct FrameEvent {
  uint64_t address = 0;
  Cfi cfi;
};

/// One procedure's call frame information (`.cfi_startproc` to
/// `.cfi_endproc`).
struct AssembledFrame {
  int32_t section = -1;
  uint64_t start = 0;
  uint64_t end = 0;
  std::vector<FrameEvent> events;
};

/// A mapping symbol (`$x` before code, `$d` before data), as GNU as places
/// them on AArch64 (gas/config/tc-aarch64.c `mapping_state`).
struct MappingSymbol {
  int32_t section = -1;
  uint64_t address = 0;
  /// 'x' for code, 'd' for data.
  char kind = 'd';
};

/// Everything an object writer needs, after layout.
struct AssembledObject {
  std::vector<AssembledSection> sections;
  /// In order of first mention.
  std::deque<AssembledSymbol> symbols;
  std::vector<AssembledFrame> frames;
  /// Whether a relocation refers to the GOT (AsmBackend::ReferencesGot).
  bool references_got = false;
  /// Whether the target uses mapping symbols
  /// (AsmBackend::UsesMappingSymbols), and those of the sections, in
  /// order of address within each section.
  bool uses_mapping_symbols = false;
  std::vector<MappingSymbol> mapping_symbols;
};

/// The assembler core for one object file. Feed it directives with
/// Consume(), then call Finish() once.
class Assembler {
 public:
  /// \p backend is not owned and must outlive the assembler.
  explicit Assembler(const AsmBackend& backend) : backend_(backend) {}

  /// Takes one directive. The first error is kept (and returned by
  /// Finish()); later directives are ignored.
  void Consume(const Directive& d) {
    if (status_.ok()) status_ = ConsumeOne(d);
  }

  /// Lays out and resolves. Errors: the first Consume() error (see
  /// AsmBackend::Encode; kInvalidArgument for a data directive other than
  /// `.quad` naming a symbol, bytes or CFI outside a section or
  /// procedure); kInvalidArgument for a branch to a label of another
  /// section or an unterminated procedure; kFailedPrecondition for a
  /// referenced label or symbol that is never defined; kOutOfRange for a
  /// resolved value that does not fit its field.
  absl::StatusOr<AssembledObject> Finish();

 private:
  struct Location {
    int32_t section = -1;
    int32_t fragment = 0;
    uint32_t offset = 0;
  };
  // A field of a data fragment to fill with a name's address. Kept small:
  // a large startup file has one per table entry.
  struct Fixup {
    uint32_t offset = 0;  // bytes from the start of the fragment
    FixupKind kind = kFixupData64;
    int32_t addend = 0;
    // The target: \p label, or (label null) the symbol symbols_[symbol],
    // found once, when the fixup is made.
    uint32_t symbol = 0;
    const AsmLabel* label = nullptr;
  };
  // `a - b` stored in a data fragment, resolved after layout.
  struct DifferenceFixup {
    uint32_t offset = 0;
    int width_bytes = 0;
    AsmDifference value;
  };
  // A run of bytes, an alignment, or a relaxable branch (MCFragment's
  // kinds).
  struct Fragment {
    enum class Kind { kData, kAlign, kBranch };
    Kind kind = Kind::kData;
    std::string bytes;
    std::vector<Fixup> fixups;
    std::vector<DifferenceFixup> differences;
    int alignment_bytes = 1;
    RelaxableBranch branch;
    bool relaxed = false;
    uint64_t address = 0;
    uint64_t size = 0;
  };
  // What the bytes last emitted in a section are, for mapping symbols.
  enum class MappingState : uint8_t { kUndefined, kData, kCode };
  struct SectionState {
    Section section;
    std::vector<Fragment> fragments;
    uint64_t alignment_bytes = 1;
    uint64_t size = 0;
    MappingState mapping = MappingState::kUndefined;
  };
  struct PendingMappingSymbol {
    Location where;
    char kind;
  };
  struct SymbolState {
    const AsmSymbol* symbol = nullptr;
    Location definition;  // section -1: not defined here
    Location size_end;    // `.size sym, . - sym`; section -1: none
    bool global = false;
    std::optional<SymbolType> type;
    bool defined() const { return definition.section >= 0; }
  };
  struct CfiEvent {
    Location where;
    Cfi cfi;
  };
  struct Frame {
    Location start;
    Location end;
    std::vector<CfiEvent> events;
  };

  absl::Status ConsumeOne(const Directive& d);
  // Records the mapping symbols GNU as emits before \p d (on targets that
  // use them): `mapping_state` for instructions and data, and
  // `mapping_state_2` for alignment and fill frags.
  void TrackMapping(const Directive& d);
  absl::Status Layout();
  absl::Status Resolve(AssembledObject& object);

  Fragment& DataFragment();
  Location Here();
  uint64_t Address(const Location& l) const {
    return sections_[l.section].fragments[l.fragment].address + l.offset;
  }
  // The index of \p s in symbols_, which lists it from now on.
  uint32_t SymbolIndex(const AsmSymbol* s);
  SymbolState& State(const AsmSymbol* s) { return symbols_[SymbolIndex(s)]; }
  Fixup MakeFixup(uint32_t offset, FixupKind kind, int32_t addend,
                  const AsmName& target);
  AsmName Target(const Fixup& x) const {
    if (x.label != nullptr) return x.label;
    return symbols_[x.symbol].symbol;
  }
  absl::StatusOr<Location> Definition(const AsmName& name) const;
  absl::Status NeedSection() const;
  // Whether a fixup becomes a relocation against its symbol (global,
  // undefined, or through the GOT or PLT), as GNU as decides.
  bool AgainstSymbol(const Fixup& x) const;

  const AsmBackend& backend_;
  absl::Status status_;
  std::vector<SectionState> sections_;
  int32_t current_ = -1;
  absl::flat_hash_map<const AsmLabel*, Location> labels_;
  // Symbols in order of first mention, and their index there (a deque:
  // no reallocation spike when a large startup's symbols pile up).
  std::deque<SymbolState> symbols_;
  absl::flat_hash_map<const AsmSymbol*, uint32_t> symbol_index_;
  std::vector<Frame> frames_;
  std::optional<Frame> open_frame_;
  std::vector<PendingMappingSymbol> mapping_symbols_;
};

/// Appends the \p size_bytes low bytes of \p v (1 to 8; more are not
/// written), little-endian.
void AppendLittleEndian(std::string& out, uint64_t v, int size_bytes);

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_ASSEMBLER_H_
