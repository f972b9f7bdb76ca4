#include "camlsym/emitters/x86_64/generic_functions.h"

#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "camlsym/emitters/function_abi.h"
#include "camlsym/emitters/function_emitter.h"
#include "camlsym/emitters/parallel_move.h"
#include "camlsym/emitters/status_macros.h"
#include "camlsym/emitters/x86_64/instruction_set.h"
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

// The hardware register of \p r.
X86_64Register HardwareRegister(Reg r) {
  using H = X86_64Register;
  static constexpr H kRegisters[] = {
      H::kRax, H::kRbx, H::kRdi, H::kRsi, H::kRdx, H::kRcx, H::kR8,
      H::kR9,  H::kR12, H::kR13, H::kR10, H::kR11, H::kRbp};
  return kRegisters[static_cast<int>(r)];
}

using H = X86_64Register;
Operand Hw(X86_64Register r) { return x86_64::Reg(r); }

int LiveReg(Reg r) { return (static_cast<int>(r) << 1) | 1; }

int AlignUp(int n, int a) { return AlignUpBytes(n, a); }

using Loc = ValueLoc<Reg>;

// The convention of OCaml \p v's calls (function_abi.h).
ArgumentConvention ArgsOf(formats::OcamlVersion v) {
  return ArgumentConvention(v, kNumArgRegs);
}

// Argument \p i on entry to a function with frame \p frame_bytes.
Loc ArgIn(const ArgumentConvention& c, int i, int frame_bytes) {
  return c.Incoming(std::span<const Reg>(kArgRegs), i, frame_bytes);
}

// Argument \p i of an outgoing call whose stack area is \p area_bytes.
Loc ArgOut(const ArgumentConvention& c, int i, int area_bytes) {
  return c.Outgoing(std::span<const Reg>(kArgRegs), i, area_bytes);
}

Loc Local(int k) { return Loc::Stack(kWordBytes * k); }

// Bytes of stack for the stack-passed part of \p num_args arguments.
int OutgoingAreaBytes(const ArgumentConvention& c, int num_args) {
  return c.OutgoingAreaBytes(num_args);
}

// The frame of a function of OCaml \p v that holds \p held_bytes (its
// return address and locals): rounded up to 16 bytes before 5.2
// (amd64/emit.mlp `frame_size`), as is from 5.2.
int FrameOf(formats::OcamlVersion v, int held_bytes) {
  return X86_64RoundsFrames(v) ? AlignUp(held_bytes, 16) : held_bytes;
}

// Emits one function, in the way emit.mlp `fundecl` lays it out.
class FunctionEmitter : public FunctionEmitterBase {
 public:
  // \p frame_bytes includes the return address: 8 for no frame, else
  // FrameOf() the bytes it holds. \p calls (CallsOf()) decide OCaml 5's
  // stack check.
  FunctionEmitter(X86_64StartupTarget& target, DirectiveStream& out,
                  const BackendSymbol& name, int frame_bytes,
                  const FunctionCalls& calls = {})
      : FunctionEmitterBase(target, target.ocaml_version(), out, name,
                            frame_bytes, calls) {}

  absl::Status Begin() {
    out_.SwitchTo(Section::Text());
    out_.AlignTo(16);
    out_.Append(Global{sym_});
    CAMLSYM_RETURN_IF_ERROR(out_.Define(*sym_));
    out_.Append(Cfi{CfiKind::kStartProc});
    if (check_.needed()) {
      overflow_ = ctx_.CreateLabel();
      after_check_ = ctx_.CreateLabel();
      I(X86_64Opcode::kLeaq,
        {x86_64::Mem(H::kRsp, -check_.limit_offset_bytes()), Hw(H::kR10)});
      I(X86_64Opcode::kCmpq,
        {x86_64::Mem(H::kR14, StackCheck::kCurrentStackOffsetBytes),
         Hw(H::kR10)});
      I(X86_64Opcode::kJb, {x86_64::Target(overflow_)});
      CAMLSYM_RETURN_IF_ERROR(out_.Define(*after_check_));
    }
    if (frame_bytes_ > kWordBytes) {
      I(X86_64Opcode::kSubq,
        {x86_64::Imm(frame_bytes_ - kWordBytes), Hw(H::kRsp)});
      out_.AdjustCfa(frame_bytes_ - kWordBytes);
    }
    return absl::OkStatus();
  }

  void I(X86_64Opcode op, std::vector<Operand> ops = {}) {
    out_.Emit(x86_64::Insn(op, std::move(ops)));
  }

  static Operand Imm(int64_t n) { return x86_64::Imm(n); }
  // The domain state's young_limit field (r14 holds Caml_state).
  static Operand YoungLimit() {
    return x86_64::Mem(H::kR14, kYoungLimitOffsetBytes);
  }
  static Operand R(Reg r) { return x86_64::Reg(HardwareRegister(r)); }
  static Operand M(Reg base, int disp) {
    return x86_64::Mem(HardwareRegister(base), disp);
  }

  Operand Op(const Loc& l) const {
    switch (l.kind) {
      case Loc::Kind::kReg:
        return R(l.reg);
      case Loc::Kind::kStack:
        return x86_64::Mem(H::kRsp, l.offset + adjust_bytes_);
      case Loc::Kind::kMem:
        return M(l.reg, l.offset);
      case Loc::Kind::kDomainState:
        return x86_64::Mem(H::kR14, l.offset);
    }
    return R(Reg::kRax);
  }

  // Where the arguments of this function and its calls are.
  ArgumentConvention conv() const { return ArgsOf(version_); }

  // A stack slot's offset from the stack pointer right now.
  int SlotOffset(const Loc& l) const {
    return FunctionEmitterBase::SlotOffset(l.offset);
  }

  void Move(const Loc& src, const Loc& dst) {
    if (src == dst) return;
    if (src.kind != Loc::Kind::kReg && dst.kind != Loc::Kind::kReg) {
      I(X86_64Opcode::kMovq, {Op(src), R(Reg::kRbp)});
      I(X86_64Opcode::kMovq, {R(Reg::kRbp), Op(dst)});
    } else {
      I(X86_64Opcode::kMovq, {Op(src), Op(dst)});
    }
  }

  // Performs all of \p moves as if simultaneously. The templates never
  // produce cycles; kInternal if one does.
  absl::Status ParallelMove(std::vector<std::pair<Loc, Loc>> moves) {
    return ParallelMoveWith(
        std::move(moves),
        [this](const Loc& src, const Loc& dst) { Move(src, dst); });
  }

  void PushArea(int bytes) {
    if (bytes == 0) return;
    I(X86_64Opcode::kSubq, {x86_64::Imm(bytes), Hw(H::kRsp)});
    NoteStackPushed(bytes);
  }
  void PopArea(int bytes) {
    if (bytes == 0) return;
    I(X86_64Opcode::kAddq, {x86_64::Imm(bytes), Hw(H::kRsp)});
    NoteStackPushed(-bytes);
  }

  // `call *%reg`, with the stack slots \p live_slots (body offsets) live.
  absl::Status CallIndirect(Reg target, const std::vector<Loc>& live_slots) {
    I(X86_64Opcode::kCall, {R(target)});
    std::vector<int> live;
    for (const Loc& l : live_slots) live.push_back(SlotOffset(l));
    return RecordFrameAt(NewLabel(), std::move(live), std::nullopt);
  }

  // `call sym@PLT`, nothing live.
  absl::Status CallSymbol(const BackendSymbol& callee) {
    I(X86_64Opcode::kCall,
      {x86_64::Target(ctx_.GetOrCreateSymbol(callee), Relocation::kPlt)});
    return RecordFrameAt(NewLabel(), {}, std::nullopt);
  }

  // Loads the address of \p sym into \p dst through the GOT.
  void LoadAddress(const BackendSymbol& sym, Reg dst) {
    I(X86_64Opcode::kMovq,
      {x86_64::Rip(ctx_.GetOrCreateSymbol(sym), Relocation::kGotPcRel),
       R(dst)});
  }

  // Allocates \p bytes (header included) on the minor heap; r15 then points
  // at the header. \p live are the registers holding values.
  absl::Status Alloc(int bytes, const std::vector<Reg>& live) {
    I(X86_64Opcode::kSubq, {x86_64::Imm(bytes), Hw(H::kR15)});
    I(X86_64Opcode::kCmpq, {YoungLimit(), Hw(H::kR15)});
    return GcPoint(X86_64Opcode::kJb, live,
                   std::vector<int>{bytes / kWordBytes});
  }

  // A poll point: calls the GC if the runtime asked for it.
  absl::Status Poll(const std::vector<Reg>& live) {
    I(X86_64Opcode::kCmpq, {YoungLimit(), Hw(H::kR15)});
    return GcPoint(X86_64Opcode::kJbe, live, std::vector<int>{});
  }

  void Epilogue() {
    if (frame_bytes_ > kWordBytes) {
      I(X86_64Opcode::kAddq,
        {x86_64::Imm(frame_bytes_ - kWordBytes), Hw(H::kRsp)});
      out_.AdjustCfa(-(frame_bytes_ - kWordBytes));
    }
  }
  void Reopen() {
    if (frame_bytes_ > kWordBytes) out_.AdjustCfa(frame_bytes_ - kWordBytes);
  }
  void TailJump(Reg target) {
    Epilogue();
    I(X86_64Opcode::kJmp, {R(target)});
    Reopen();
  }
  void Return() {
    Epilogue();
    I(X86_64Opcode::kRet);
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

  absl::Status End() {
    CAMLSYM_RETURN_IF_ERROR(EmitGcSites(
        x86_64::Insn(
            X86_64Opcode::kCall,
            {x86_64::Target(ctx_.GetOrCreateSymbol(BackendSymbol::CallGc()),
                            Relocation::kPlt)}),
        static_cast<uint16_t>(X86_64Opcode::kJmp)));
    if (check_.needed()) {
      // The stub: the frame size wanted, in words, passed on the stack
      // (every argument register may be live), then back to the body.
      CAMLSYM_RETURN_IF_ERROR(out_.Define(*overflow_));
      I(X86_64Opcode::kPushq, {x86_64::Imm(check_.realloc_words())});
      out_.AdjustCfa(kWordBytes);
      I(X86_64Opcode::kCall,
        {x86_64::Target(
            ctx_.GetOrCreateSymbol(BackendSymbol::CallReallocStack()),
            Relocation::kPlt)});
      I(X86_64Opcode::kPopq, {Hw(H::kR10)});
      out_.AdjustCfa(-kWordBytes);
      I(X86_64Opcode::kJmp, {x86_64::Target(after_check_)});
    }
    if (frame_bytes_ > kWordBytes) out_.AdjustCfa(-(frame_bytes_ - kWordBytes));
    out_.Append(Cfi{CfiKind::kEndProc});
    out_.Append(Type{sym_, SymbolType::kFunction});
    out_.Append(Size{sym_});
    return absl::OkStatus();
  }

 private:
  absl::Status GcPoint(X86_64Opcode jump, const std::vector<Reg>& live,
                       std::vector<int> alloc_words) {
    std::vector<int> live_slots;
    for (Reg r : live) live_slots.push_back(LiveReg(r));
    return AddGcSite(static_cast<uint16_t>(jump), std::move(live_slots),
                     std::move(alloc_words));
  }

  AsmLabel* overflow_ = nullptr;
  AsmLabel* after_check_ = nullptr;
};

// The body of cmm_helpers.ml `apply_function_body` for \p srcs.size()
// arguments, with the closure in r10. Needs local slots 0 ..
// srcs.size() - 2 in the frame.
absl::Status EmitApplyBody(FunctionEmitter& f, const std::vector<Loc>& srcs) {
  const ArgumentConvention conv = f.conv();
  const int m = static_cast<int>(srcs.size());
  if (m == 1) {
    CAMLSYM_RETURN_IF_ERROR(
        f.ParallelMove({{srcs[0], Loc::R(Reg::kRax)},
                        {Loc::R(Reg::kR10), Loc::R(Reg::kRbx)}}));
    f.I(X86_64Opcode::kMovq, {FunctionEmitter::M(Reg::kRbx, 0), Hw(H::kRdi)});
    f.TailJump(Reg::kRdi);
    return absl::OkStatus();
  }
  AsmLabel* slow = f.NewLabel();
  // Full application when the closure's arity is m.
  f.I(X86_64Opcode::kMovq, {FunctionEmitter::M(Reg::kR10, 8), Hw(H::kR11)});
  f.I(X86_64Opcode::kSarq, {x86_64::Imm(56), Hw(H::kR11)});
  f.I(X86_64Opcode::kCmpq, {FunctionEmitter::Imm(m), Hw(H::kR11)});
  f.I(X86_64Opcode::kJne, {x86_64::Target(slow)});
  f.I(X86_64Opcode::kMovq, {FunctionEmitter::M(Reg::kR10, 16), Hw(H::kR11)});
  const int area = OutgoingAreaBytes(conv, m + 1);
  f.PushArea(area);
  std::vector<std::pair<Loc, Loc>> moves;
  for (int i = 0; i < m; ++i) moves.push_back({srcs[i], ArgOut(conv, i, area)});
  moves.push_back({Loc::R(Reg::kR10), ArgOut(conv, m, area)});
  CAMLSYM_RETURN_IF_ERROR(f.ParallelMove(std::move(moves)));
  CAMLSYM_RETURN_IF_ERROR(f.JumpOrCall(Reg::kR11, area));
  // Otherwise one argument at a time through field 0.
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(slow));
  moves.clear();
  for (int i = 1; i < m; ++i) moves.push_back({srcs[i], Local(i - 1)});
  moves.push_back({srcs[0], Loc::R(Reg::kRax)});
  CAMLSYM_RETURN_IF_ERROR(f.ParallelMove(std::move(moves)));
  f.I(X86_64Opcode::kMovq, {Hw(H::kR10), Hw(H::kRbx)});
  f.I(X86_64Opcode::kMovq, {FunctionEmitter::M(Reg::kR10, 0), Hw(H::kRdi)});
  std::vector<Loc> live;
  for (int i = 1; i < m; ++i) live.push_back(Local(i - 1));
  CAMLSYM_RETURN_IF_ERROR(f.CallIndirect(Reg::kRdi, live));
  for (int k = 2; k <= m; ++k) {
    f.I(X86_64Opcode::kMovq, {Hw(H::kRax), Hw(H::kRbx)});
    f.I(X86_64Opcode::kMovq, {FunctionEmitter::M(Reg::kRax, 0), Hw(H::kRdi)});
    f.I(X86_64Opcode::kMovq, {f.Op(Local(k - 2)), Hw(H::kRax)});
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
    DirectiveStream& out, const std::vector<BackendSymbol>& entries) {
  // ocamlopt unrolls this loop into one call per unit. camlsym walks a
  // table of the units' entry functions instead: the same calls in the same
  // order, with one call site (one frame descriptor) instead of one per unit,
  // which makes the startup file of a large link a third smaller.
  AsmContext& ctx = out.context();
  AsmLabel* table = ctx.CreateLabel();
  AsmLabel* loop = ctx.CreateLabel();
  AsmLabel* done = ctx.CreateLabel();
  FunctionEmitter f(*this, out, BackendSymbol::Program(), 16,
                    CallsOf(StartupFunction::kProgram, 0, ArgsOf(version_)));
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  f.I(X86_64Opcode::kMovq,
      {x86_64::Imm(0),
       x86_64::Mem(H::kRsp)});  // Index of the next entry (not a value).
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(loop));
  f.I(X86_64Opcode::kMovq, {x86_64::Mem(H::kRsp), Hw(H::kRax)});
  f.I(X86_64Opcode::kLeaq, {x86_64::Rip(table), Hw(H::kRbx)});
  f.I(X86_64Opcode::kMovq, {x86_64::Mem(H::kRbx, H::kRax, 8), Hw(H::kRax)});
  f.I(X86_64Opcode::kTestq, {Hw(H::kRax), Hw(H::kRax)});
  f.I(X86_64Opcode::kJe, {x86_64::Target(done)});
  CAMLSYM_RETURN_IF_ERROR(f.CallIndirect(Reg::kRax, {}));
  f.LoadAddress(BackendSymbol::GlobalsInited(), Reg::kRax);
  f.I(X86_64Opcode::kAddq, {x86_64::Imm(1), x86_64::Mem(H::kRax)});
  f.I(X86_64Opcode::kAddq, {x86_64::Imm(1), x86_64::Mem(H::kRsp)});
  f.I(X86_64Opcode::kJmp, {x86_64::Target(loop)});
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(done));
  f.I(X86_64Opcode::kMovl, {x86_64::Imm(1), Hw(H::kEax)});
  f.Return();
  CAMLSYM_RETURN_IF_ERROR(f.End());

  out.SwitchTo(Section::Data());
  out.AlignTo(kWordBytes);
  CAMLSYM_RETURN_IF_ERROR(out.Define(*table));
  for (const BackendSymbol& entry : entries) {
    out.Quad(AsmName(ctx.GetOrCreateSymbol(entry)));
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
  FunctionEmitter f(*this, out, name, FrameOf(version_, kWordBytes));
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  CAMLSYM_RETURN_IF_ERROR(
      f.Alloc((fields + 1) * kWordBytes, {Reg::kRax, Reg::kRbx}));
  f.I(X86_64Opcode::kLeaq, {x86_64::Mem(H::kR15, 8), Hw(H::kRdi)});
  f.I(X86_64Opcode::kMovq,
      {FunctionEmitter::Imm(ClosureHeader(fields)), x86_64::Mem(H::kRdi, -8)});
  f.LoadAddress(BackendSymbol::CurryPartial(arity, num + 1, file_), Reg::kRsi);
  f.I(X86_64Opcode::kMovq, {Hw(H::kRsi), x86_64::Mem(H::kRdi)});
  f.I(X86_64Opcode::kMovabsq,
      {FunctionEmitter::Imm(with_app ? ClosureInfo(arity - num - 1, 3)
                                     : ClosureInfo(1, 2)),
       Hw(H::kRsi)});
  f.I(X86_64Opcode::kMovq, {Hw(H::kRsi), x86_64::Mem(H::kRdi, 8)});
  int next_field = 2;
  if (with_app) {
    f.LoadAddress(BackendSymbol::CurryPartialApp(arity, num + 1, file_),
                  Reg::kRsi);
    f.I(X86_64Opcode::kMovq, {Hw(H::kRsi), x86_64::Mem(H::kRdi, 16)});
    next_field = 3;
  }
  f.I(X86_64Opcode::kMovq,
      {Hw(H::kRax), FunctionEmitter::M(Reg::kRdi, 8 * next_field)});
  f.I(X86_64Opcode::kMovq,
      {Hw(H::kRbx), FunctionEmitter::M(Reg::kRdi, 8 * (next_field + 1))});
  f.I(X86_64Opcode::kMovq, {Hw(H::kRdi), Hw(H::kRax)});
  f.Return();
  return f.End();
}

// caml_curryN_k_app (args k+1 .. N, clos): the closure made by
// caml_curryN_{k-1} applied to all its remaining arguments at once. Every
// closure of the chain has 5 fields: argument in 3, parent in 4.
absl::Status X86_64StartupTarget::EmitCurryApp(DirectiveStream& out, int arity,
                                               int k) {
  const ArgumentConvention conv = ArgsOf(version_);
  const int num_in = arity - k;  // arguments besides the closure
  const int area = OutgoingAreaBytes(conv, arity + 1);
  const int frame = FrameOf(version_, kWordBytes);
  FunctionEmitter f(*this, out, BackendSymbol::CurryPartialApp(arity, k, file_),
                    frame, CallsOf(StartupFunction::kCurryApp, arity, conv));
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  // The poll, when every incoming value is in a register (the GC does not
  // see OCaml 5's domain-state arguments).
  if (area == 0 && num_in + 1 <= kNumArgRegs) {
    std::vector<Reg> live;
    for (int i = 0; i <= num_in; ++i) live.push_back(kArgRegs[i]);
    CAMLSYM_RETURN_IF_ERROR(f.Poll(live));
  }
  f.PushArea(area);
  f.Move(ArgIn(conv, num_in, frame), Loc::R(Reg::kR10));
  for (int i = num_in - 1; i >= 0; --i) {
    f.Move(ArgIn(conv, i, frame), ArgOut(conv, i + k, area));
  }
  for (int j = k; j >= 1; --j) {
    f.Move(Loc::Mem(Reg::kR10, 24), ArgOut(conv, j - 1, area));
    f.I(X86_64Opcode::kMovq, {x86_64::Mem(H::kR10, 32), Hw(H::kR10)});
  }
  f.Move(Loc::R(Reg::kR10), ArgOut(conv, arity, area));
  f.I(X86_64Opcode::kMovq, {x86_64::Mem(H::kR10, 16), Hw(H::kR11)});
  CAMLSYM_RETURN_IF_ERROR(f.JumpOrCall(Reg::kR11, area));
  return f.End();
}

// caml_curryN_{N-1} (last arg, clos): walks the chain of partial
// applications back to the function's closure and applies it fully.
absl::Status X86_64StartupTarget::EmitFinalCurry(DirectiveStream& out,
                                                 int arity) {
  const ArgumentConvention conv = ArgsOf(version_);
  const int area = OutgoingAreaBytes(conv, arity + 1);
  FunctionEmitter f(*this, out,
                    BackendSymbol::CurryPartial(arity, arity - 1, file_),
                    FrameOf(version_, kWordBytes),
                    CallsOf(StartupFunction::kFinalCurry, arity, conv));
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  if (area == 0) CAMLSYM_RETURN_IF_ERROR(f.Poll({Reg::kRax, Reg::kRbx}));
  f.PushArea(area);
  f.I(X86_64Opcode::kMovq, {Hw(H::kRbx), Hw(H::kR10)});
  f.I(X86_64Opcode::kMovq, {Hw(H::kRax), Hw(H::kR11)});
  for (int j = arity - 1; j >= 1; --j) {
    // The closure holding argument j was made by caml_curryN_{j-1}.
    const bool five = arity <= kMaxArityOptimized && j - 1 <= arity - 3;
    const int arg_field = five ? 3 : 2;
    f.Move(Loc::Mem(Reg::kR10, 8 * arg_field), ArgOut(conv, j - 1, area));
    f.I(X86_64Opcode::kMovq,
        {FunctionEmitter::M(Reg::kR10, 8 * (arg_field + 1)), Hw(H::kR10)});
  }
  f.Move(Loc::R(Reg::kR11), ArgOut(conv, arity - 1, area));
  f.Move(Loc::R(Reg::kR10), ArgOut(conv, arity, area));
  f.I(X86_64Opcode::kMovq, {x86_64::Mem(H::kR10, 16), Hw(H::kR11)});
  CAMLSYM_RETURN_IF_ERROR(f.JumpOrCall(Reg::kR11, area));
  return f.End();
}

// caml_tuplifyN (tuple, clos): full application to the tuple's fields.
absl::Status X86_64StartupTarget::EmitTuplify(DirectiveStream& out, int arity) {
  const ArgumentConvention conv = ArgsOf(version_);
  const int area = OutgoingAreaBytes(conv, arity + 1);
  FunctionEmitter f(*this, out, BackendSymbol::Tuplify(arity, file_),
                    FrameOf(version_, kWordBytes),
                    CallsOf(StartupFunction::kTuplify, arity, conv));
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  if (area == 0) CAMLSYM_RETURN_IF_ERROR(f.Poll({Reg::kRax, Reg::kRbx}));
  f.PushArea(area);
  f.I(X86_64Opcode::kMovq, {Hw(H::kRax), Hw(H::kR10)});
  f.I(X86_64Opcode::kMovq, {Hw(H::kRbx), Hw(H::kR11)});
  for (int i = 0; i < arity; ++i) {
    f.Move(Loc::Mem(Reg::kR10, 8 * i), ArgOut(conv, i, area));
  }
  f.Move(Loc::R(Reg::kR11), ArgOut(conv, arity, area));
  f.I(X86_64Opcode::kMovq, {x86_64::Mem(H::kR11, 16), Hw(H::kR11)});
  CAMLSYM_RETURN_IF_ERROR(f.JumpOrCall(Reg::kR11, area));
  return f.End();
}

absl::Status X86_64StartupTarget::EmitApply(DirectiveStream& out, int arity) {
  const ArgumentConvention conv = ArgsOf(version_);
  CAMLSYM_RETURN_IF_ERROR(CheckGenericArity("caml_apply", arity, 2, kMaxArity));
  const int frame = FrameOf(version_, kWordBytes + kWordBytes * (arity - 1));
  FunctionEmitter f(*this, out, BackendSymbol::Apply(arity, file_), frame,
                    CallsOf(StartupFunction::kApply, arity, conv));
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  f.Move(ArgIn(conv, arity, frame), Loc::R(Reg::kR10));
  std::vector<Loc> srcs;
  for (int i = 0; i < arity; ++i) srcs.push_back(ArgIn(conv, i, frame));
  CAMLSYM_RETURN_IF_ERROR(EmitApplyBody(f, srcs));
  return f.End();
}

absl::Status X86_64StartupTarget::EmitSend(DirectiveStream& out, int arity) {
  const ArgumentConvention conv = ArgsOf(version_);
  CAMLSYM_RETURN_IF_ERROR(
      CheckGenericArity("caml_send", arity, 0, kMaxArity - 1));
  // Arguments: obj, tag, cache, then the method's arguments.
  const int frame = arity == 0
                        ? kWordBytes
                        : FrameOf(version_, kWordBytes + kWordBytes * arity);
  FunctionEmitter f(*this, out, BackendSymbol::Send(arity, file_), frame,
                    CallsOf(StartupFunction::kSend, arity, conv));
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  // Frees every register but rax, rbx, rdi for the method lookup.
  std::vector<std::pair<Loc, Loc>> saves;
  std::vector<Loc> srcs = {Loc::R(Reg::kRax)};
  for (int i = 0; i < arity; ++i) {
    saves.push_back({ArgIn(conv, i + 3, frame), Local(i)});
    srcs.push_back(Local(i));
  }
  CAMLSYM_RETURN_IF_ERROR(f.ParallelMove(std::move(saves)));
  // meths = obj.(0); cached = !cache land meths.(1) (a byte offset).
  AsmLabel* hit = f.NewLabel();
  AsmLabel* loop = f.NewLabel();
  AsmLabel* ge = f.NewLabel();
  AsmLabel* test = f.NewLabel();
  f.I(X86_64Opcode::kMovq, {x86_64::Mem(H::kRax), Hw(H::kRsi)});
  f.I(X86_64Opcode::kMovq, {x86_64::Mem(H::kRsi, 8), Hw(H::kRdx)});
  f.I(X86_64Opcode::kMovq, {x86_64::Mem(H::kRdi), Hw(H::kRcx)});
  f.I(X86_64Opcode::kAndq, {Hw(H::kRdx), Hw(H::kRcx)});
  f.I(X86_64Opcode::kCmpq, {Hw(H::kRbx), x86_64::Mem(H::kRcx, H::kRsi, 1, 23)});
  f.I(X86_64Opcode::kJe, {x86_64::Target(hit)});
  // cache_public_method: binary search of tag in the method table, whose
  // word 0 is the last index; li in rdx, hi in r8, mi in rcx.
  f.I(X86_64Opcode::kMovq, {x86_64::Imm(3), Hw(H::kRdx)});
  f.I(X86_64Opcode::kMovq, {x86_64::Mem(H::kRsi), Hw(H::kR8)});
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(loop));
  f.I(X86_64Opcode::kMovq, {Hw(H::kRdx), Hw(H::kRcx)});
  f.I(X86_64Opcode::kAddq, {Hw(H::kR8), Hw(H::kRcx)});
  f.I(X86_64Opcode::kShrq, {x86_64::Imm(1), Hw(H::kRcx)});
  f.I(X86_64Opcode::kOrq, {x86_64::Imm(1), Hw(H::kRcx)});
  f.I(X86_64Opcode::kCmpq, {x86_64::Mem(H::kRsi, H::kRcx, 8), Hw(H::kRbx)});
  f.I(X86_64Opcode::kJge, {x86_64::Target(ge)});
  f.I(X86_64Opcode::kLeaq, {x86_64::Mem(H::kRcx, -2), Hw(H::kR8)});
  f.I(X86_64Opcode::kJmp, {x86_64::Target(test)});
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(ge));
  f.I(X86_64Opcode::kMovq, {Hw(H::kRcx), Hw(H::kRdx)});
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(test));
  f.I(X86_64Opcode::kCmpq, {Hw(H::kR8), Hw(H::kRdx)});
  f.I(X86_64Opcode::kJl, {x86_64::Target(loop)});
  f.I(X86_64Opcode::kLeaq,
      {x86_64::MemIndexOnly(H::kRdx, 8, -23), Hw(H::kRcx)});
  f.I(X86_64Opcode::kMovq, {Hw(H::kRcx), x86_64::Mem(H::kRdi)});
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(hit));
  // The method's closure.
  f.I(X86_64Opcode::kMovq, {x86_64::Mem(H::kRcx, H::kRsi, 1, 15), Hw(H::kR10)});
  CAMLSYM_RETURN_IF_ERROR(EmitApplyBody(f, srcs));
  return f.End();
}

}  // namespace camlsym
