#include "camlsym/emitters/x86_64/generic_functions.h"

#include <cstdint>
#include <optional>
#include <utility>

#include "camlsym/emitters/parallel_move.h"
#include "camlsym/emitters/status_macros.h"
#include "camlsym/symbols/backend_symbol.h"
#include "camlsym/symbols/compilation_unit.h"
#include "fmt/format.h"

namespace camlsym {

namespace {

// Registers in proc.ml's numbering (the number is what frame descriptors
// record as `(n << 1) | 1`).
enum class Reg {
  kRax = 0,
  kRbx,
  kRdi,
  kRsi,
  kRdx,
  kRcx,
  kR8,
  kR9,
  kR12,
  kR13,
  kR10,
  kR11,
  kRbp,
};

constexpr int kNumArgRegs = 10;
constexpr Reg kArgRegs[kNumArgRegs] = {
    Reg::kRax, Reg::kRbx, Reg::kRdi, Reg::kRsi, Reg::kRdx,
    Reg::kRcx, Reg::kR8,  Reg::kR9,  Reg::kR12, Reg::kR13};

// Offset of `young_limit` in the domain state that r14 points to
// (runtime/caml/domain_state.tbl: the first field).
constexpr int kYoungLimitOffsetBytes = 0;
// Functions with more than this many arguments get a different curry
// closure layout and no _app shortcuts (cmm_helpers.ml).
constexpr int kMaxArityOptimized = kMaxCurryAppArity;
constexpr int kMaxArity = kMaxGenericArity;
constexpr int kWordBytes = 8;

std::string_view RegName(Reg r) {
  static constexpr std::string_view kNames[] = {
      "%rax", "%rbx", "%rdi", "%rsi", "%rdx", "%rcx", "%r8",
      "%r9",  "%r12", "%r13", "%r10", "%r11", "%rbp"};
  return kNames[static_cast<int>(r)];
}

int LiveReg(Reg r) { return (static_cast<int>(r) << 1) | 1; }

int AlignUp(int n, int a) { return (n + a - 1) / a * a; }

// A value's location: a register, a stack slot (offset in bytes from the
// stack pointer of the function body, before any outgoing-argument area is
// pushed), or a word in memory at a register plus a displacement.
struct Loc {
  enum class Kind { kReg, kStack, kMem } kind;
  Reg reg = Reg::kRax;
  int offset = 0;

  static Loc R(Reg r) { return Loc{Kind::kReg, r, 0}; }
  static Loc Stack(int offset) { return Loc{Kind::kStack, Reg::kRax, offset}; }
  static Loc Mem(Reg base, int disp) { return Loc{Kind::kMem, base, disp}; }
  friend bool operator==(const Loc&, const Loc&) = default;
};

// Argument \p i on entry to a function with frame \p frame_bytes.
Loc ArgIn(int i, int frame_bytes) {
  if (i < kNumArgRegs) return Loc::R(kArgRegs[i]);
  return Loc::Stack(frame_bytes + kWordBytes * (i - kNumArgRegs));
}

// Argument \p i of an outgoing call whose stack area is \p area_bytes.
Loc ArgOut(int i, int area_bytes) {
  if (i < kNumArgRegs) return Loc::R(kArgRegs[i]);
  return Loc::Stack(kWordBytes * (i - kNumArgRegs) - area_bytes);
}

Loc Local(int k) { return Loc::Stack(kWordBytes * k); }

// Bytes of stack for the stack-passed part of \p num_args arguments.
int OutgoingAreaBytes(int num_args) {
  if (num_args <= kNumArgRegs) return 0;
  return AlignUp(kWordBytes * (num_args - kNumArgRegs), 16);
}

// Emits one function, in the way emit.mlp `fundecl` lays it out.
class FunctionEmitter {
 public:
  // \p frame_bytes includes the return address: 8 for no frame, else a
  // multiple of 16.
  FunctionEmitter(X86_64StartupTarget& target, DirectiveStream& out,
                  const BackendSymbol& name, int frame_bytes)
      : target_(target),
        out_(out),
        ctx_(out.context()),
        sym_(ctx_.GetOrCreateSymbol(name)),
        frame_bytes_(frame_bytes) {}

  absl::Status Begin() {
    out_.SwitchTo(Section::Text());
    out_.AlignTo(16);
    out_.Append(Global{sym_});
    CAMLSYM_RETURN_IF_ERROR(out_.Define(*sym_));
    out_.Append(Cfi{CfiKind::kStartProc});
    if (frame_bytes_ > kWordBytes) {
      I("subq", {Imm(frame_bytes_ - kWordBytes), "%rsp"});
      out_.AdjustCfa(frame_bytes_ - kWordBytes);
    }
    return absl::OkStatus();
  }

  void I(std::string mnemonic, std::vector<InsnOperand> ops) {
    out_.Emit(Instruction{std::move(mnemonic), std::move(ops)});
  }

  static std::string Imm(int64_t n) { return fmt::format("${}", n); }
  // The domain state's young_limit field (r14 holds Caml_state).
  static std::string YoungLimit() {
    if (kYoungLimitOffsetBytes == 0) return "(%r14)";
    return fmt::format("{}(%r14)", kYoungLimitOffsetBytes);
  }
  static std::string R(Reg r) { return std::string(RegName(r)); }
  static std::string M(Reg base, int disp) {
    if (disp == 0) return fmt::format("({})", RegName(base));
    return fmt::format("{}({})", disp, RegName(base));
  }

  std::string Op(const Loc& l) const {
    switch (l.kind) {
      case Loc::Kind::kReg:
        return R(l.reg);
      case Loc::Kind::kStack: {
        int off = l.offset + adjust_bytes_;
        return off == 0 ? "(%rsp)" : fmt::format("{}(%rsp)", off);
      }
      case Loc::Kind::kMem:
        return M(l.reg, l.offset);
    }
    return "";
  }

  // A stack slot's offset from the stack pointer right now.
  int SlotOffset(const Loc& l) const { return l.offset + adjust_bytes_; }

  void Move(const Loc& src, const Loc& dst) {
    if (src == dst) return;
    if (src.kind != Loc::Kind::kReg && dst.kind != Loc::Kind::kReg) {
      I("movq", {Op(src), R(Reg::kRbp)});
      I("movq", {R(Reg::kRbp), Op(dst)});
    } else {
      I("movq", {Op(src), Op(dst)});
    }
  }

  // Performs all of \p moves as if simultaneously. The templates never
  // produce cycles; kInternal if one does.
  absl::Status ParallelMove(std::vector<std::pair<Loc, Loc>> moves) {
    return SequentializeMoves(
        std::move(moves),
        [this](const Loc& src, const Loc& dst) { Move(src, dst); },
        sym_->encoded());
  }

  void PushArea(int bytes) {
    if (bytes == 0) return;
    I("subq", {Imm(bytes), "%rsp"});
    out_.AdjustCfa(bytes);
    adjust_bytes_ += bytes;
  }
  void PopArea(int bytes) {
    if (bytes == 0) return;
    I("addq", {Imm(bytes), "%rsp"});
    out_.AdjustCfa(-bytes);
    adjust_bytes_ -= bytes;
  }

  // Defines a fresh label here and records a descriptor for it.
  absl::Status RecordFrame(std::vector<int> live,
                           std::optional<std::vector<int>> alloc_words,
                           AsmLabel* label) {
    CAMLSYM_RETURN_IF_ERROR(out_.Define(*label));
    target_.RecordFrame(FrameDescriptor{label, frame_bytes_ + adjust_bytes_,
                                        std::move(live),
                                        std::move(alloc_words)});
    return absl::OkStatus();
  }

  // `call *%reg`, with the stack slots \p live_slots (body offsets) live.
  absl::Status CallIndirect(Reg target, const std::vector<Loc>& live_slots) {
    I("call", {"*" + R(target)});
    std::vector<int> live;
    for (const Loc& l : live_slots) live.push_back(SlotOffset(l));
    return RecordFrame(std::move(live), std::nullopt, ctx_.CreateLabel());
  }

  // `call sym@PLT`, nothing live.
  absl::Status CallSymbol(const BackendSymbol& callee) {
    I("call",
      {SymbolOperand{ctx_.GetOrCreateSymbol(callee), Relocation::kPlt, ""}});
    return RecordFrame({}, std::nullopt, ctx_.CreateLabel());
  }

  // Loads the address of \p sym into \p dst through the GOT.
  void LoadAddress(const BackendSymbol& sym, Reg dst) {
    I("movq", {SymbolOperand{ctx_.GetOrCreateSymbol(sym), Relocation::kGotPcRel,
                             "(%rip)"},
               R(dst)});
  }

  // Allocates \p bytes (header included) on the minor heap; r15 then points
  // at the header. \p live are the registers holding values.
  absl::Status Alloc(int bytes, const std::vector<Reg>& live) {
    I("subq", {Imm(bytes), "%r15"});
    I("cmpq", {YoungLimit(), "%r15"});
    return GcPoint("jb", live, std::vector<int>{bytes / kWordBytes});
  }

  // A poll point: calls the GC if the runtime asked for it.
  absl::Status Poll(const std::vector<Reg>& live) {
    I("cmpq", {YoungLimit(), "%r15"});
    return GcPoint("jbe", live, std::vector<int>{});
  }

  void Epilogue() {
    if (frame_bytes_ > kWordBytes) {
      I("addq", {Imm(frame_bytes_ - kWordBytes), "%rsp"});
      out_.AdjustCfa(-(frame_bytes_ - kWordBytes));
    }
  }
  void Reopen() {
    if (frame_bytes_ > kWordBytes) out_.AdjustCfa(frame_bytes_ - kWordBytes);
  }
  void TailJump(Reg target) {
    Epilogue();
    I("jmp", {"*" + R(target)});
    Reopen();
  }
  void Return() {
    Epilogue();
    I("ret", {});
    Reopen();
  }

  // Transfers to the code at \p target: a tail jump when no outgoing stack
  // area was pushed, else a call, then the area popped and a return.
  absl::Status JumpOrCall(Reg target, int area) {
    if (area == 0) {
      TailJump(target);
      return absl::OkStatus();
    }
    CAMLSYM_RETURN_IF_ERROR(CallIndirect(target, {}));
    PopArea(area);
    Return();
    return absl::OkStatus();
  }

  absl::Status DefineLabel(AsmLabel* label) { return out_.Define(*label); }
  AsmLabel* NewLabel() { return ctx_.CreateLabel(); }

  absl::Status End() {
    CAMLSYM_RETURN_IF_ERROR(gc_sites_.Emit(
        out_,
        Instruction{
            "call",
            {SymbolOperand{ctx_.GetOrCreateSymbol(BackendSymbol::CallGc()),
                           Relocation::kPlt, ""}}},
        "jmp"));
    if (frame_bytes_ > kWordBytes) out_.AdjustCfa(-(frame_bytes_ - kWordBytes));
    out_.Append(Cfi{CfiKind::kEndProc});
    out_.Append(Type{sym_, SymbolType::kFunction});
    out_.Append(Size{sym_});
    return absl::OkStatus();
  }

 private:
  absl::Status GcPoint(std::string_view jump, const std::vector<Reg>& live,
                       std::vector<int> alloc_words) {
    std::vector<int> live_slots;
    for (Reg r : live) live_slots.push_back(LiveReg(r));
    return gc_sites_.Add(
        out_, std::string(jump),
        FrameDescriptor{nullptr, frame_bytes_ + adjust_bytes_,
                        std::move(live_slots), std::move(alloc_words)},
        target_);
  }

  X86_64StartupTarget& target_;
  DirectiveStream& out_;
  AsmContext& ctx_;
  AsmSymbol* sym_;
  int frame_bytes_;
  int adjust_bytes_ = 0;
  CallGcSites gc_sites_;
};

// The body of cmm_helpers.ml `apply_function_body` for \p srcs.size()
// arguments, with the closure in r10. Needs local slots 0 ..
// srcs.size() - 2 in the frame.
absl::Status EmitApplyBody(FunctionEmitter& f, const std::vector<Loc>& srcs) {
  const int m = static_cast<int>(srcs.size());
  if (m == 1) {
    CAMLSYM_RETURN_IF_ERROR(
        f.ParallelMove({{srcs[0], Loc::R(Reg::kRax)},
                        {Loc::R(Reg::kR10), Loc::R(Reg::kRbx)}}));
    f.I("movq", {FunctionEmitter::M(Reg::kRbx, 0), "%rdi"});
    f.TailJump(Reg::kRdi);
    return absl::OkStatus();
  }
  AsmLabel* slow = f.NewLabel();
  // Full application when the closure's arity is m.
  f.I("movq", {FunctionEmitter::M(Reg::kR10, 8), "%r11"});
  f.I("sarq", {"$56", "%r11"});
  f.I("cmpq", {FunctionEmitter::Imm(m), "%r11"});
  f.I("jne", {LabelOperand{slow}});
  f.I("movq", {FunctionEmitter::M(Reg::kR10, 16), "%r11"});
  const int area = OutgoingAreaBytes(m + 1);
  f.PushArea(area);
  std::vector<std::pair<Loc, Loc>> moves;
  for (int i = 0; i < m; ++i) moves.push_back({srcs[i], ArgOut(i, area)});
  moves.push_back({Loc::R(Reg::kR10), ArgOut(m, area)});
  CAMLSYM_RETURN_IF_ERROR(f.ParallelMove(std::move(moves)));
  CAMLSYM_RETURN_IF_ERROR(f.JumpOrCall(Reg::kR11, area));
  // Otherwise one argument at a time through field 0.
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(slow));
  moves.clear();
  for (int i = 1; i < m; ++i) moves.push_back({srcs[i], Local(i - 1)});
  moves.push_back({srcs[0], Loc::R(Reg::kRax)});
  CAMLSYM_RETURN_IF_ERROR(f.ParallelMove(std::move(moves)));
  f.I("movq", {"%r10", "%rbx"});
  f.I("movq", {FunctionEmitter::M(Reg::kR10, 0), "%rdi"});
  std::vector<Loc> live;
  for (int i = 1; i < m; ++i) live.push_back(Local(i - 1));
  CAMLSYM_RETURN_IF_ERROR(f.CallIndirect(Reg::kRdi, live));
  for (int k = 2; k <= m; ++k) {
    f.I("movq", {"%rax", "%rbx"});
    f.I("movq", {FunctionEmitter::M(Reg::kRax, 0), "%rdi"});
    f.I("movq", {f.Op(Local(k - 2)), "%rax"});
    if (k < m) {
      live.erase(live.begin());
      CAMLSYM_RETURN_IF_ERROR(f.CallIndirect(Reg::kRdi, live));
    } else {
      f.TailJump(Reg::kRdi);
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status X86_64StartupTarget::EmitBeginAssembly(DirectiveStream& out) {
  // emit.mlp begin_assembly, for position-independent code: the sign and
  // absolute-value masks of float negation, local to this file.
  out.SwitchTo(Section::Literal16());
  AsmContext& ctx = out.context();
  const struct {
    std::string_view name;
    int64_t lo, hi;
  } kMasks[] = {{"caml_negf_mask", INT64_MIN, 0},
                {"caml_absf_mask", INT64_MAX, -1}};
  for (const auto& mask : kMasks) {
    out.AlignTo(16);
    absl::StatusOr<AsmLabel*> label = ctx.CreateNamedLabel(mask.name);
    if (!label.ok()) return label.status();
    CAMLSYM_RETURN_IF_ERROR(out.Define(**label));
    out.Quad(mask.lo);
    out.Quad(mask.hi);
  }
  return absl::OkStatus();
}

absl::Status X86_64StartupTarget::EmitProgram(
    DirectiveStream& out, const std::vector<std::string>& unit_symbols) {
  // ocamlopt unrolls this loop into one call per unit. camlsym walks a
  // table of the units' entry functions instead: the same calls in the same
  // order, with one call site (one frame descriptor) instead of one per unit,
  // which makes the startup file of a large link a third smaller.
  AsmContext& ctx = out.context();
  AsmLabel* entries = ctx.CreateLabel();
  AsmLabel* loop = ctx.CreateLabel();
  AsmLabel* done = ctx.CreateLabel();
  FunctionEmitter f(*this, out, BackendSymbol::Program(), 16);
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  f.I("movq", {"$0", "(%rsp)"});  // Index of the next entry (not a value).
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(loop));
  f.I("movq", {"(%rsp)", "%rax"});
  f.I("leaq", {LabelOperand{entries, "(%rip)"}, "%rbx"});
  f.I("movq", {"(%rbx,%rax,8)", "%rax"});
  f.I("testq", {"%rax", "%rax"});
  f.I("je", {LabelOperand{done}});
  CAMLSYM_RETURN_IF_ERROR(f.CallIndirect(Reg::kRax, {}));
  f.LoadAddress(BackendSymbol::GlobalsInited(), Reg::kRax);
  f.I("addq", {"$1", "(%rax)"});
  f.I("addq", {"$1", "(%rsp)"});
  f.I("jmp", {LabelOperand{loop}});
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(done));
  f.I("movl", {"$1", "%eax"});
  f.Return();
  CAMLSYM_RETURN_IF_ERROR(f.End());

  out.SwitchTo(Section::Data());
  out.AlignTo(kWordBytes);
  CAMLSYM_RETURN_IF_ERROR(out.Define(*entries));
  for (const std::string& unit : unit_symbols) {
    absl::StatusOr<UnitName> name = UnitName::Create(unit);
    if (!name.ok()) return name.status();
    ObjectFile unit_file = ObjectFile::OtherUnit(CompilationUnit({}, *name));
    out.Quad(AsmName(ctx.GetOrCreateSymbol(
        BackendSymbol::Marker(unit, UnitMarker::kEntry, unit_file, scheme_))));
  }
  out.Quad(int64_t{0});
  return absl::OkStatus();
}

// caml_curryN (num = 0) or caml_curryN_num: (arg, clos) -> the closure that
// waits for argument num + 2.
absl::Status X86_64StartupTarget::EmitCurryClosure(DirectiveStream& out,
                                                   int arity, int num) {
  const BackendSymbol name =
      num == 0 ? BackendSymbol::Curry(arity, file_)
               : BackendSymbol::CurryPartial(arity, num, file_);
  const bool with_app = arity <= kMaxArityOptimized && arity - num > 2;
  const int fields = with_app ? 5 : 4;
  FunctionEmitter f(*this, out, name, 16);
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  CAMLSYM_RETURN_IF_ERROR(
      f.Alloc((fields + 1) * kWordBytes, {Reg::kRax, Reg::kRbx}));
  f.I("leaq", {"8(%r15)", "%rdi"});
  f.I("movq", {FunctionEmitter::Imm(ClosureHeader(fields)), "-8(%rdi)"});
  f.LoadAddress(BackendSymbol::CurryPartial(arity, num + 1, file_), Reg::kRsi);
  f.I("movq", {"%rsi", "(%rdi)"});
  f.I("movabsq",
      {FunctionEmitter::Imm(with_app ? ClosureInfo(arity - num - 1, 3)
                                     : ClosureInfo(1, 2)),
       "%rsi"});
  f.I("movq", {"%rsi", "8(%rdi)"});
  int next_field = 2;
  if (with_app) {
    f.LoadAddress(BackendSymbol::CurryPartialApp(arity, num + 1, file_),
                  Reg::kRsi);
    f.I("movq", {"%rsi", "16(%rdi)"});
    next_field = 3;
  }
  f.I("movq", {"%rax", FunctionEmitter::M(Reg::kRdi, 8 * next_field)});
  f.I("movq", {"%rbx", FunctionEmitter::M(Reg::kRdi, 8 * (next_field + 1))});
  f.I("movq", {"%rdi", "%rax"});
  f.Return();
  return f.End();
}

// caml_curryN_k_app (args k+1 .. N, clos): the closure made by
// caml_curryN_{k-1} applied to all its remaining arguments at once. Every
// closure of the chain has 5 fields: argument in 3, parent in 4.
absl::Status X86_64StartupTarget::EmitCurryApp(DirectiveStream& out, int arity,
                                               int k) {
  const int num_in = arity - k;  // arguments besides the closure
  const int area = OutgoingAreaBytes(arity + 1);
  FunctionEmitter f(*this, out, BackendSymbol::CurryPartialApp(arity, k, file_),
                    16);
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  if (area == 0) {
    std::vector<Reg> live;
    for (int i = 0; i <= num_in; ++i) live.push_back(kArgRegs[i]);
    CAMLSYM_RETURN_IF_ERROR(f.Poll(live));
  }
  f.PushArea(area);
  f.Move(ArgIn(num_in, 16), Loc::R(Reg::kR10));
  for (int i = num_in - 1; i >= 0; --i) {
    f.Move(ArgIn(i, 16), ArgOut(i + k, area));
  }
  for (int j = k; j >= 1; --j) {
    f.Move(Loc::Mem(Reg::kR10, 24), ArgOut(j - 1, area));
    f.I("movq", {"32(%r10)", "%r10"});
  }
  f.Move(Loc::R(Reg::kR10), ArgOut(arity, area));
  f.I("movq", {"16(%r10)", "%r11"});
  CAMLSYM_RETURN_IF_ERROR(f.JumpOrCall(Reg::kR11, area));
  return f.End();
}

// caml_curryN_{N-1} (last arg, clos): walks the chain of partial
// applications back to the function's closure and applies it fully.
absl::Status X86_64StartupTarget::EmitFinalCurry(DirectiveStream& out,
                                                 int arity) {
  const int area = OutgoingAreaBytes(arity + 1);
  FunctionEmitter f(*this, out,
                    BackendSymbol::CurryPartial(arity, arity - 1, file_), 16);
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  if (area == 0) CAMLSYM_RETURN_IF_ERROR(f.Poll({Reg::kRax, Reg::kRbx}));
  f.PushArea(area);
  f.I("movq", {"%rbx", "%r10"});
  f.I("movq", {"%rax", "%r11"});
  for (int j = arity - 1; j >= 1; --j) {
    // The closure holding argument j was made by caml_curryN_{j-1}.
    const bool five = arity <= kMaxArityOptimized && j - 1 <= arity - 3;
    const int arg_field = five ? 3 : 2;
    f.Move(Loc::Mem(Reg::kR10, 8 * arg_field), ArgOut(j - 1, area));
    f.I("movq", {FunctionEmitter::M(Reg::kR10, 8 * (arg_field + 1)), "%r10"});
  }
  f.Move(Loc::R(Reg::kR11), ArgOut(arity - 1, area));
  f.Move(Loc::R(Reg::kR10), ArgOut(arity, area));
  f.I("movq", {"16(%r10)", "%r11"});
  CAMLSYM_RETURN_IF_ERROR(f.JumpOrCall(Reg::kR11, area));
  return f.End();
}

// caml_tuplifyN (tuple, clos): full application to the tuple's fields.
absl::Status X86_64StartupTarget::EmitTuplify(DirectiveStream& out, int arity) {
  const int area = OutgoingAreaBytes(arity + 1);
  FunctionEmitter f(*this, out, BackendSymbol::Tuplify(arity, file_), 16);
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  if (area == 0) CAMLSYM_RETURN_IF_ERROR(f.Poll({Reg::kRax, Reg::kRbx}));
  f.PushArea(area);
  f.I("movq", {"%rax", "%r10"});
  f.I("movq", {"%rbx", "%r11"});
  for (int i = 0; i < arity; ++i) {
    f.Move(Loc::Mem(Reg::kR10, 8 * i), ArgOut(i, area));
  }
  f.Move(Loc::R(Reg::kR11), ArgOut(arity, area));
  f.I("movq", {"16(%r11)", "%r11"});
  CAMLSYM_RETURN_IF_ERROR(f.JumpOrCall(Reg::kR11, area));
  return f.End();
}

absl::Status X86_64StartupTarget::EmitApply(DirectiveStream& out, int arity) {
  CAMLSYM_RETURN_IF_ERROR(CheckGenericArity("caml_apply", arity, 2, kMaxArity));
  const int frame = AlignUp(kWordBytes + kWordBytes * (arity - 1), 16);
  FunctionEmitter f(*this, out, BackendSymbol::Apply(arity, file_), frame);
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  f.Move(ArgIn(arity, frame), Loc::R(Reg::kR10));
  std::vector<Loc> srcs;
  for (int i = 0; i < arity; ++i) srcs.push_back(ArgIn(i, frame));
  CAMLSYM_RETURN_IF_ERROR(EmitApplyBody(f, srcs));
  return f.End();
}

absl::Status X86_64StartupTarget::EmitSend(DirectiveStream& out, int arity) {
  CAMLSYM_RETURN_IF_ERROR(
      CheckGenericArity("caml_send", arity, 0, kMaxArity - 1));
  // Arguments: obj, tag, cache, then the method's arguments.
  const int frame =
      arity == 0 ? kWordBytes : AlignUp(kWordBytes + kWordBytes * arity, 16);
  FunctionEmitter f(*this, out, BackendSymbol::Send(arity, file_), frame);
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  // Frees every register but rax, rbx, rdi for the method lookup.
  std::vector<std::pair<Loc, Loc>> saves;
  std::vector<Loc> srcs = {Loc::R(Reg::kRax)};
  for (int i = 0; i < arity; ++i) {
    saves.push_back({ArgIn(i + 3, frame), Local(i)});
    srcs.push_back(Local(i));
  }
  CAMLSYM_RETURN_IF_ERROR(f.ParallelMove(std::move(saves)));
  // meths = obj.(0); cached = !cache land meths.(1) (a byte offset).
  AsmLabel* hit = f.NewLabel();
  AsmLabel* loop = f.NewLabel();
  AsmLabel* ge = f.NewLabel();
  AsmLabel* test = f.NewLabel();
  f.I("movq", {"(%rax)", "%rsi"});
  f.I("movq", {"8(%rsi)", "%rdx"});
  f.I("movq", {"(%rdi)", "%rcx"});
  f.I("andq", {"%rdx", "%rcx"});
  f.I("cmpq", {"%rbx", "23(%rcx,%rsi)"});
  f.I("je", {LabelOperand{hit}});
  // cache_public_method: binary search of tag in the method table, whose
  // word 0 is the last index; li in rdx, hi in r8, mi in rcx.
  f.I("movq", {"$3", "%rdx"});
  f.I("movq", {"(%rsi)", "%r8"});
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(loop));
  f.I("movq", {"%rdx", "%rcx"});
  f.I("addq", {"%r8", "%rcx"});
  f.I("shrq", {"$1", "%rcx"});
  f.I("orq", {"$1", "%rcx"});
  f.I("cmpq", {"(%rsi,%rcx,8)", "%rbx"});
  f.I("jge", {LabelOperand{ge}});
  f.I("leaq", {"-2(%rcx)", "%r8"});
  f.I("jmp", {LabelOperand{test}});
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(ge));
  f.I("movq", {"%rcx", "%rdx"});
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(test));
  f.I("cmpq", {"%r8", "%rdx"});
  f.I("jl", {LabelOperand{loop}});
  f.I("leaq", {"-23(,%rdx,8)", "%rcx"});
  f.I("movq", {"%rcx", "(%rdi)"});
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(hit));
  // The method's closure.
  f.I("movq", {"15(%rcx,%rsi)", "%r10"});
  CAMLSYM_RETURN_IF_ERROR(EmitApplyBody(f, srcs));
  return f.End();
}

}  // namespace camlsym
