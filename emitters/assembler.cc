#include "camlsym/emitters/assembler.h"

#include <algorithm>
#include <utility>

#include "camlsym/emitters/status_macros.h"
#include "fmt/format.h"

namespace camlsym {

void AppendLittleEndian(std::string& out, uint64_t v, int size_bytes) {
  char bytes[8];
  for (int i = 0; i < size_bytes && i < 8; ++i) {
    bytes[i] = static_cast<char>(static_cast<uint8_t>(v >> (8 * i)));
  }
  out.append(bytes, static_cast<size_t>(std::min(size_bytes, 8)));
}

Assembler::Fragment& Assembler::DataFragment() {
  std::vector<Fragment>& fs = sections_[current_].fragments;
  if (fs.empty() || fs.back().kind != Fragment::Kind::kData) {
    fs.emplace_back();
  }
  return fs.back();
}

Assembler::Location Assembler::Here() {
  Fragment& f = DataFragment();
  return Location{
      current_, static_cast<int32_t>(sections_[current_].fragments.size()) - 1,
      static_cast<uint32_t>(f.bytes.size())};
}

uint32_t Assembler::SymbolIndex(const AsmSymbol* s) {
  auto [it, inserted] =
      symbol_index_.try_emplace(s, static_cast<uint32_t>(symbols_.size()));
  if (inserted) {
    SymbolState state;
    state.symbol = s;
    symbols_.push_back(state);
  }
  return it->second;
}

Assembler::Fixup Assembler::MakeFixup(uint32_t offset, FixupKind kind,
                                      int32_t addend, const AsmName& target) {
  Fixup x{offset, kind, addend};
  if (const auto* label = std::get_if<const AsmLabel*>(&target)) {
    x.label = *label;
  } else {
    x.symbol = SymbolIndex(std::get<const AsmSymbol*>(target));
  }
  return x;
}

absl::Status Assembler::NeedSection() const {
  if (current_ >= 0) return absl::OkStatus();
  return absl::InvalidArgumentError(
      "assembler: a directive that emits bytes before any section");
}

bool Assembler::AgainstSymbol(const Fixup& x) const {
  if (x.label != nullptr) return false;
  const SymbolState& state = symbols_[x.symbol];
  return state.global || !state.defined() ||
         backend_.NeedsSymbolRelocation(x.kind);
}

absl::StatusOr<Assembler::Location> Assembler::Definition(
    const AsmName& name) const {
  if (const auto* l = std::get_if<const AsmLabel*>(&name)) {
    auto it = labels_.find(*l);
    if (it == labels_.end()) {
      return absl::FailedPreconditionError(
          fmt::format("assembler: label {} is referenced but never defined",
                      (*l)->encoded()));
    }
    return it->second;
  }
  auto it = symbol_index_.find(std::get<const AsmSymbol*>(name));
  if (it == symbol_index_.end() || !symbols_[it->second].defined()) {
    return absl::FailedPreconditionError(fmt::format(
        "assembler: symbol {} is not defined in this file", EncodedName(name)));
  }
  return symbols_[it->second].definition;
}

absl::Status Assembler::ConsumeOne(const Directive& d) {
  if (const auto* s = std::get_if<SwitchSection>(&d)) {
    current_ = -1;
    for (size_t i = 0; i < sections_.size(); ++i) {
      if (sections_[i].section == s->section) current_ = static_cast<int>(i);
    }
    if (current_ < 0) {
      sections_.push_back(
          SectionState{s->section, {}, 1, 0, MappingState::kUndefined});
      current_ = static_cast<int>(sections_.size()) - 1;
    }
    return absl::OkStatus();
  }
  if (const auto* l = std::get_if<Label>(&d)) {
    CAMLSYM_RETURN_IF_ERROR(NeedSection());
    if (const auto* label = std::get_if<const AsmLabel*>(&l->name)) {
      labels_[*label] = Here();
    } else {
      State(std::get<const AsmSymbol*>(l->name)).definition = Here();
    }
    return absl::OkStatus();
  }
  if (const auto* g = std::get_if<Global>(&d)) {
    State(g->symbol).global = true;
    return absl::OkStatus();
  }
  if (const auto* t = std::get_if<Type>(&d)) {
    State(t->symbol).type = t->type;
    return absl::OkStatus();
  }
  if (std::holds_alternative<Comment>(d)) return absl::OkStatus();
  CAMLSYM_RETURN_IF_ERROR(NeedSection());
  if (backend_.UsesMappingSymbols()) TrackMapping(d);
  if (const auto* z = std::get_if<Size>(&d)) {
    State(z->symbol).size_end = Here();
  } else if (const auto* a = std::get_if<Align>(&d)) {
    SectionState& s = sections_[current_];
    Fragment f;
    f.kind = Fragment::Kind::kAlign;
    f.alignment_bytes = a->bytes;
    s.fragments.push_back(std::move(f));
    s.alignment_bytes =
        std::max(s.alignment_bytes, static_cast<uint64_t>(a->bytes));
  } else if (const auto* v = std::get_if<Data>(&d)) {
    const int width = v->width == DataWidth::kQuad   ? 8
                      : v->width == DataWidth::kLong ? 4
                      : v->width == DataWidth::kWord ? 2
                                                     : 1;
    Fragment& f = DataFragment();
    if (const int64_t* n = std::get_if<int64_t>(&v->operand)) {
      AppendLittleEndian(f.bytes, static_cast<uint64_t>(*n), width);
    } else if (const AsmName* name = std::get_if<AsmName>(&v->operand)) {
      if (width != 8) {
        return absl::InvalidArgumentError(fmt::format(
            "assembler: a {}-byte data directive naming {} (only .quad "
            "takes an address)",
            width, EncodedName(*name)));
      }
      f.fixups.push_back(MakeFixup(static_cast<uint32_t>(f.bytes.size()),
                                   kFixupData64, 0, *name));
      AppendLittleEndian(f.bytes, 0, 8);
    } else {
      f.differences.push_back(
          DifferenceFixup{static_cast<uint32_t>(f.bytes.size()), width,
                          std::get<AsmDifference>(v->operand)});
      AppendLittleEndian(f.bytes, 0, width);
    }
  } else if (const auto* s = std::get_if<Ascii>(&d)) {
    DataFragment().bytes += s->bytes;
  } else if (const auto* s = std::get_if<Space>(&d)) {
    if (s->size_bytes > 0) DataFragment().bytes.append(s->size_bytes, '\0');
  } else if (const auto* c = std::get_if<Cfi>(&d)) {
    if (c->kind == CfiKind::kStartProc) {
      if (open_frame_) {
        return absl::InvalidArgumentError(
            "assembler: .cfi_startproc inside another procedure");
      }
      open_frame_ = Frame{Here(), {}, {}};
    } else if (!open_frame_) {
      return absl::InvalidArgumentError(
          "assembler: CFI directive outside .cfi_startproc/.cfi_endproc");
    } else if (c->kind == CfiKind::kEndProc) {
      open_frame_->end = Here();
      frames_.push_back(std::move(*open_frame_));
      open_frame_.reset();
    } else {
      open_frame_->events.push_back(CfiEvent{Here(), *c});
    }
  } else {
    absl::StatusOr<EncodedInstruction> e =
        backend_.Encode(std::get<Instruction>(d));
    if (!e.ok()) return e.status();
    if (e->branch) {
      Fragment f;
      f.kind = Fragment::Kind::kBranch;
      f.branch = *e->branch;
      sections_[current_].fragments.push_back(std::move(f));
      return absl::OkStatus();
    }
    Fragment& f = DataFragment();
    if (e->fixup) {
      f.fixups.push_back(MakeFixup(
          static_cast<uint32_t>(f.bytes.size() + e->fixup->offset_bytes),
          e->fixup->kind, static_cast<int32_t>(e->fixup->addend),
          e->fixup->target));
    }
    f.bytes += e->bytes;
  }
  return absl::OkStatus();
}

void Assembler::TrackMapping(const Directive& d) {
  SectionState& s = sections_[current_];
  const bool text = s.section.IsText();
  // mapping_state_2: a symbol whenever the state changes.
  auto change = [&](MappingState state) {
    if (s.mapping == state) return;
    s.mapping = state;
    mapping_symbols_.push_back(
        PendingMappingSymbol{Here(), state == MappingState::kCode ? 'x' : 'd'});
  };
  if (std::holds_alternative<Instruction>(d)) {
    if (s.mapping == MappingState::kUndefined) {
      // mapping_state: code after bytes of unknown kind marks them data.
      const Location here = Here();
      if (here.fragment > 0 || here.offset > 0) {
        mapping_symbols_.push_back(
            PendingMappingSymbol{Location{current_, 0, 0}, 'd'});
      }
    }
    change(MappingState::kCode);
  } else if (std::holds_alternative<Data>(d) ||
             std::holds_alternative<Ascii>(d)) {
    // mapping_state: the first data of a data section needs no symbol.
    if (s.mapping == MappingState::kUndefined && !text) return;
    change(MappingState::kData);
  } else if (const auto* space = std::get_if<Space>(&d)) {
    if (space->size_bytes > 0) change(MappingState::kData);
  } else if (std::holds_alternative<Align>(d)) {
    change(text ? MappingState::kCode : MappingState::kData);
  }
}

absl::Status Assembler::Layout() {
  // Relaxation as MCAssembler does it: every branch starts short and grows
  // when its target is out of reach, until nothing changes. Branches only
  // grow, so this ends.
  for (bool changed = true; changed;) {
    changed = false;
    for (SectionState& s : sections_) {
      uint64_t address = 0;
      for (Fragment& f : s.fragments) {
        f.address = address;
        switch (f.kind) {
          case Fragment::Kind::kData:
            f.size = f.bytes.size();
            break;
          case Fragment::Kind::kAlign:
            f.size = (f.alignment_bytes - address % f.alignment_bytes) %
                     f.alignment_bytes;
            break;
          case Fragment::Kind::kBranch:
            f.size = backend_.BranchSizeBytes(f.branch, f.relaxed);
            break;
        }
        address += f.size;
      }
      s.size = address;
    }
    for (size_t si = 0; si < sections_.size(); ++si) {
      for (Fragment& f : sections_[si].fragments) {
        if (f.kind != Fragment::Kind::kBranch || f.relaxed) continue;
        absl::StatusOr<Location> target = Definition(f.branch.target);
        if (!target.ok()) return target.status();
        if (target->section != static_cast<int>(si)) {
          return absl::InvalidArgumentError(
              fmt::format("assembler: branch to {}, a label of another section",
                          f.branch.target->encoded()));
        }
        const int64_t disp = static_cast<int64_t>(Address(*target)) -
                             static_cast<int64_t>(f.address + f.size);
        if (!backend_.ShortBranchReaches(f.branch, disp)) {
          f.relaxed = true;
          changed = true;
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status Assembler::Resolve(AssembledObject& object) {
  object.sections.reserve(sections_.size());
  for (size_t si = 0; si < sections_.size(); ++si) {
    SectionState& s = sections_[si];
    AssembledSection& out = object.sections.emplace_back(
        AssembledSection{s.section, s.alignment_bytes, {}, {}});
    std::string& contents = out.contents;
    contents.reserve(s.size);
    size_t fixups = 0;
    for (Fragment& f : s.fragments) {
      fixups += f.fixups.size();
      switch (f.kind) {
        case Fragment::Kind::kData:
          contents += f.bytes;
          std::string().swap(f.bytes);  // the contents hold them now
          break;
        case Fragment::Kind::kAlign:
          if (s.section.IsText()) {
            backend_.WriteCodePadding(f.size, contents);
          } else {
            contents.append(f.size, '\0');
          }
          break;
        case Fragment::Kind::kBranch: {
          const int64_t target = Address(*Definition(f.branch.target));
          const int64_t end = f.address + f.size;
          backend_.WriteBranch(f.branch, f.relaxed, target - end, contents);
          break;
        }
      }
    }
    out.relocations.reserve(fixups);
    for (Fragment& f : s.fragments) {
      for (const DifferenceFixup& d : f.differences) {
        absl::StatusOr<Location> a = Definition(d.value.minuend());
        if (!a.ok()) return a.status();
        absl::StatusOr<Location> b = Definition(d.value.subtrahend());
        if (!b.ok()) return b.status();
        const int64_t v = static_cast<int64_t>(Address(*a)) -
                          static_cast<int64_t>(Address(*b));
        std::string bytes;
        AppendLittleEndian(bytes, static_cast<uint64_t>(v), d.width_bytes);
        contents.replace(f.address + d.offset, d.width_bytes, bytes);
      }
      for (const Fixup& x : f.fixups) {
        if (backend_.ReferencesGot(x.kind)) object.references_got = true;
        const uint64_t place = f.address + x.offset;
        if (AgainstSymbol(x)) {
          out.relocations.push_back(RelocationEntry{
              place, x.kind, static_cast<int32_t>(x.symbol), -1, x.addend});
          continue;
        }
        // (A symbol not against which is defined here.)
        absl::StatusOr<Location> target = x.label != nullptr
                                              ? Definition(x.label)
                                              : symbols_[x.symbol].definition;
        if (!target.ok()) return target.status();
        const int64_t value = static_cast<int64_t>(Address(*target));
        if (backend_.IsPcRelative(x.kind) &&
            target->section == static_cast<int>(si)) {
          // The assembler resolves it: S + A - P.
          CAMLSYM_RETURN_IF_ERROR(backend_.ApplyFixup(
              x.kind, value + x.addend - static_cast<int64_t>(place), Target(x),
              contents.data() + place));
          continue;
        }
        // Against the target's section symbol, as GNU as does for labels
        // and local symbols.
        out.relocations.push_back(RelocationEntry{
            place, x.kind, -1, target->section, x.addend + value});
      }
      std::vector<Fixup>().swap(f.fixups);
    }
  }
  for (const SymbolState& state : symbols_) {
    AssembledSymbol& sym = object.symbols.emplace_back();
    sym.symbol = state.symbol;
    sym.global = state.global;
    sym.type = state.type;
    if (state.defined()) {
      sym.section = state.definition.section;
      sym.value = Address(state.definition);
      if (state.size_end.section == state.definition.section) {
        sym.size_bytes = Address(state.size_end) - sym.value;
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<AssembledObject> Assembler::Finish() {
  if (!status_.ok()) return status_;
  if (open_frame_) {
    return absl::InvalidArgumentError(
        "assembler: .cfi_startproc without .cfi_endproc");
  }
  CAMLSYM_RETURN_IF_ERROR(Layout());
  AssembledObject object;
  for (const Frame& frame : frames_) {
    AssembledFrame& out = object.frames.emplace_back();
    out.section = frame.start.section;
    out.start = Address(frame.start);
    out.end = Address(frame.end);
    for (const CfiEvent& e : frame.events) {
      out.events.push_back(FrameEvent{Address(e.where), e.cfi});
    }
  }
  std::vector<Frame>().swap(frames_);
  object.uses_mapping_symbols = backend_.UsesMappingSymbols();
  // GNU as drops a mapping symbol that another one follows at the same
  // address (an empty alignment), or that ends its section
  // (tc-aarch64.c `check_mapping_symbols`, `make_mapping_symbol`).
  for (size_t i = 0; i < mapping_symbols_.size(); ++i) {
    const PendingMappingSymbol& m = mapping_symbols_[i];
    const uint64_t address = Address(m.where);
    if (address == sections_[m.where.section].size) continue;
    bool shadowed = false;
    for (size_t j = i + 1; j < mapping_symbols_.size(); ++j) {
      if (mapping_symbols_[j].where.section != m.where.section) continue;
      shadowed = Address(mapping_symbols_[j].where) == address;
      break;
    }
    if (shadowed) continue;
    object.mapping_symbols.push_back(
        MappingSymbol{m.where.section, address, m.kind});
  }
  std::vector<PendingMappingSymbol>().swap(mapping_symbols_);
  CAMLSYM_RETURN_IF_ERROR(Resolve(object));
  // The object now holds all it needs of the layout and the symbols.
  std::vector<SectionState>().swap(sections_);
  std::deque<SymbolState>().swap(symbols_);
  absl::flat_hash_map<const AsmSymbol*, uint32_t>().swap(symbol_index_);
  return object;
}

}  // namespace camlsym
