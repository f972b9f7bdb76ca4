#include "camlsym/emitters/aarch64/generic_functions.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <utility>

#include "camlsym/emitters/aarch64/instruction_set.h"
#include "camlsym/emitters/function_abi.h"
#include "camlsym/emitters/function_emitter.h"
#include "camlsym/emitters/parallel_move.h"
#include "camlsym/emitters/status_macros.h"
#include "camlsym/symbols/backend_symbol.h"
#include "camlsym/symbols/compilation_unit.h"
#include "fmt/format.h"

namespace camlsym {

namespace {

// A general-purpose register by its hardware number (x0 = 0 ... x30 = 30).
struct XReg {
  int hw = 0;
  friend bool operator==(const XReg&, const XReg&) = default;
};

// The integer argument registers, x0 ... x15 (proc.ml `loc_int`); the
// convention uses the first num_int_arg_regs of them.
constexpr XReg kArgRegs[16] = {{0}, {1}, {2},  {3},  {4},  {5},  {6},  {7},
                               {8}, {9}, {10}, {11}, {12}, {13}, {14}, {15}};

// Scratch registers: never live across a call or a GC point (proc.ml
// `reg_tmp1` is x16; the linker's veneers may clobber both at a `bl`).
constexpr XReg kTmp{16};
constexpr XReg kTmp2{17};
// Not argument registers, saved by caml_call_gc (proc.ml 16..22): the
// templates keep closures and method-lookup temporaries there.
constexpr XReg kClos{19};
constexpr XReg kX20{20};
constexpr XReg kX21{21};
constexpr XReg kX22{22};
constexpr XReg kX23{23};
constexpr XReg kX24{24};
constexpr XReg kX25{25};
constexpr XReg kReturnAddress{30};
// DWARF number of x30.
constexpr int kDwarfX30 = 30;

// Offset of `young_limit` in the domain state that x28 points to
// (runtime/caml/domain_state.tbl: the first field).
constexpr int kYoungLimitOffsetBytes = 0;
// Functions with more than this many arguments get a different curry
// closure layout and no _app shortcuts (cmm_helpers.ml).
constexpr int kMaxArityOptimized = kMaxCurryAppArity;
constexpr int kMaxArity = kMaxGenericArity;
constexpr int kWordBytes = 8;
constexpr int kStackAlignBytes = 16;

std::string RegName(XReg r) { return fmt::format("x{}", r.hw); }

// proc.ml's number for \p r, recorded in frame descriptors as
// `(n << 1) | 1`: x0..x15 are 0..15, x19..x25 are 16..22.
int ProcRegNumber(XReg r) {
  if (r.hw <= 15) return r.hw;
  if (r.hw >= 19 && r.hw <= 25) return r.hw - 3;
  return -1;  // not saved by caml_call_gc: never live at a GC point
}

int AlignUp(int n, int a) { return AlignUpBytes(n, a); }

using Loc = ValueLoc<XReg>;

Loc Local(int k) { return Loc::Stack(kWordBytes * k); }

// Emits one function, laid out as emit.mlp `fundecl` does for the
// target's OCaml version: OCaml 5's stack check and its
// `caml_call_realloc_stack` stub (before the function's symbol, falling
// through into it), the prologue (5.4 stores x30 below the stack pointer
// before moving it), arguments beyond the registers in the domain state.
class FunctionEmitter : public FunctionEmitterBase {
 public:
  // \p frame_bytes: 0 for a function that calls nothing (x30 stays in its
  // register), else a multiple of 16 whose top word holds x30. \p calls
  // (CallsOf()) decide OCaml 5's stack check.
  FunctionEmitter(AArch64StartupTarget& target, DirectiveStream& out,
                  const BackendSymbol& name, int frame_bytes,
                  const FunctionCalls& calls = {})
      : FunctionEmitterBase(target, target.ocaml_version(), out, name,
                            frame_bytes, calls),
        conv_(target.Convention()) {}

  const ArgumentConvention& conv() const { return conv_; }
  formats::OcamlVersion version() const { return version_; }

  // Argument \p i on entry.
  Loc ArgIn(int i) const {
    return conv_.Incoming(std::span<const XReg>(kArgRegs), i, frame_bytes_);
  }
  // Argument \p i of an outgoing call whose stack area is \p area_bytes
  // (valid once PushArea(area_bytes) has run).
  Loc ArgOut(int i, int area_bytes) const {
    return conv_.Outgoing(std::span<const XReg>(kArgRegs), i, area_bytes);
  }
  // Bytes of stack for the stack-passed part of \p num_args arguments.
  int OutgoingAreaBytes(int num_args) const {
    return conv_.OutgoingAreaBytes(num_args);
  }

  absl::Status Begin() {
    out_.SwitchTo(Section::Text());
    out_.AlignTo(8);
    out_.Append(Global{sym_});
    out_.Append(Type{sym_, SymbolType::kFunction});
    AsmLabel* overflow = nullptr;
    if (check_.needed()) {
      // The stub: the words wanted passed on the stack (every argument
      // register may be live) beside x30, then into the function again.
      overflow = ctx_.CreateLabel();
      CAMLSYM_RETURN_IF_ERROR(out_.Define(*overflow));
      I(AArch64Opcode::kMov, {R(kTmp), Imm(check_.realloc_words())});
      I(AArch64Opcode::kStp,
        {R(kTmp), R(kReturnAddress), aarch64::PreIndex(kAArch64Sp, -16)});
      I(AArch64Opcode::kBl, {aarch64::Target(ctx_.GetOrCreateSymbol(
                                BackendSymbol::CallReallocStack()))});
      I(AArch64Opcode::kLdp,
        {R(kTmp), R(kReturnAddress), aarch64::PostIndex(kAArch64Sp, 16)});
    }
    CAMLSYM_RETURN_IF_ERROR(out_.Define(*sym_));
    out_.Append(Cfi{CfiKind::kStartProc});
    if (check_.needed()) {
      I(AArch64Opcode::kLdr,
        {R(kTmp), M(XReg{28}, StackCheck::kCurrentStackOffsetBytes)});
      AddImmediate(kTmp, check_.limit_offset_bytes());
      I(AArch64Opcode::kCmp, {aarch64::Sp(), R(kTmp)});
      I(AArch64Opcode::kBLo, {aarch64::Target(overflow)});
    }
    if (frame_bytes_ > 0) {
      if (version() == formats::OcamlVersion::k54) {
        I(AArch64Opcode::kStr, {R(kReturnAddress), SpSlot(-kWordBytes)});
        out_.Append(Cfi{CfiKind::kOffset, -kWordBytes, kDwarfX30});
        StackAdjust(-frame_bytes_);
      } else {
        StackAdjust(-frame_bytes_);
        out_.Append(Cfi{CfiKind::kOffset, -kWordBytes, kDwarfX30});
        I(AArch64Opcode::kStr,
          {R(kReturnAddress), SpSlot(frame_bytes_ - kWordBytes)});
      }
    }
    return absl::OkStatus();
  }

  // `add reg, reg, #n` in at most two instructions (emit.mlp
  // `emit_addimm`).
  void AddImmediate(XReg reg, int n) {
    const int high = n & 0xFFF000, low = n & 0xFFF;
    if (high != 0 || low == 0) {
      I(AArch64Opcode::kAdd, {R(reg), R(reg), Imm(high)});
    }
    if (low != 0) I(AArch64Opcode::kAdd, {R(reg), R(reg), Imm(low)});
  }

  // Moves sp by \p bytes (negative: down) and tells the CFA (emit.mlp
  // `emit_stack_adjustment`).
  void StackAdjust(int bytes) {
    MoveSp(bytes);
    if (bytes != 0) out_.AdjustCfa(-bytes);
  }
  // The instructions alone.
  void MoveSp(int bytes) {
    const int m = bytes < 0 ? -bytes : bytes;
    const AArch64Opcode op =
        bytes < 0 ? AArch64Opcode::kSub : AArch64Opcode::kAdd;
    const int high = m & 0xFFF000, low = m & 0xFFF;
    if (high != 0) I(op, {aarch64::Sp(), aarch64::Sp(), Imm(high)});
    if (low != 0) I(op, {aarch64::Sp(), aarch64::Sp(), Imm(low)});
  }

  void I(AArch64Opcode op, std::vector<Operand> ops = {}) {
    out_.Emit(aarch64::Insn(op, std::move(ops)));
  }

  static Operand Imm(int64_t n) { return aarch64::Imm(n); }
  static Operand R(XReg r) { return aarch64::X(r.hw); }
  static Operand M(XReg base, int disp) { return aarch64::Mem(base.hw, disp); }
  static Operand SpSlot(int off) { return aarch64::Mem(kAArch64Sp, off); }

  Operand Op(const Loc& l) const {
    switch (l.kind) {
      case Loc::Kind::kReg:
        return R(l.reg);
      case Loc::Kind::kStack:
        return SpSlot(l.offset + adjust_bytes_);
      case Loc::Kind::kMem:
        return M(l.reg, l.offset);
      case Loc::Kind::kDomainState:
        return M(XReg{28}, l.offset);
    }
    return R(l.reg);
  }

  // OCaml 5's barrier before a store that assigns (not initializes) a
  // word (arm64/emit.mlp `Istore` with `assignment`); nothing in 4.13.
  void AssignmentBarrier() {
    if (version() != formats::OcamlVersion::k413) {
      I(AArch64Opcode::kDmbIshld);
    }
  }

  // A stack slot's offset from the stack pointer right now.
  int SlotOffset(const Loc& l) const {
    return FunctionEmitterBase::SlotOffset(l.offset);
  }

  // Copies a word; memory to memory goes through x16.
  void Move(const Loc& src, const Loc& dst) {
    if (src == dst) return;
    if (src.kind == Loc::Kind::kReg && dst.kind == Loc::Kind::kReg) {
      I(AArch64Opcode::kMov, {R(dst.reg), R(src.reg)});
    } else if (dst.kind == Loc::Kind::kReg) {
      I(AArch64Opcode::kLdr, {R(dst.reg), Op(src)});
    } else if (src.kind == Loc::Kind::kReg) {
      I(AArch64Opcode::kStr, {R(src.reg), Op(dst)});
    } else {
      I(AArch64Opcode::kLdr, {R(kTmp), Op(src)});
      I(AArch64Opcode::kStr, {R(kTmp), Op(dst)});
    }
  }

  // Performs all of \p moves as if simultaneously. The templates never
  // produce cycles; kInternal if one does.
  absl::Status ParallelMove(std::vector<std::pair<Loc, Loc>> moves) {
    return ParallelMoveWith(
        std::move(moves),
        [this](const Loc& src, const Loc& dst) { Move(src, dst); });
  }

  // Loads \p value with movz/movk (emit.mlp `emit_intconst`, without its
  // logical-immediate and movn shortcuts).
  void LoadConst(XReg dst, int64_t value) {
    const uint64_t v = static_cast<uint64_t>(value);
    bool first = true;
    for (int pos = 0; pos < 64; pos += 16) {
      const uint64_t chunk = (v >> pos) & 0xffff;
      if (chunk == 0) continue;
      I(first ? AArch64Opcode::kMovz : AArch64Opcode::kMovk,
        {R(dst), Imm(static_cast<int64_t>(chunk)), aarch64::Lsl(pos)});
      first = false;
    }
    if (first) I(AArch64Opcode::kMov, {R(dst), aarch64::Xzr()});
  }

  void PushArea(int bytes) {
    if (bytes == 0) return;
    MoveSp(-bytes);
    NoteStackPushed(bytes);
  }
  void PopArea(int bytes) {
    if (bytes == 0) return;
    MoveSp(bytes);
    NoteStackPushed(-bytes);
  }

  // kInternal unless this function has a frame holding x30 (a call would
  // otherwise lose the return address, and the GC could not walk past it).
  absl::Status CheckHasFrame() const {
    if (frame_bytes_ == 0) {
      return absl::InternalError(fmt::format(
          "{} calls something but has no frame for x30", sym_->encoded()));
    }
    return absl::OkStatus();
  }

  // Defines a fresh label here and records a descriptor for it.
  absl::Status RecordFrame(std::vector<int> live) {
    CAMLSYM_RETURN_IF_ERROR(CheckHasFrame());
    return RecordFrameAt(NewLabel(), std::move(live), std::nullopt);
  }

  // `blr reg`, with the stack slots \p live_slots (body offsets) live.
  absl::Status CallIndirect(XReg target, const std::vector<Loc>& live_slots) {
    I(AArch64Opcode::kBlr, {R(target)});
    std::vector<int> live;
    for (const Loc& l : live_slots) live.push_back(SlotOffset(l));
    return RecordFrame(std::move(live));
  }

  // `bl sym`, nothing live.
  absl::Status CallSymbol(const BackendSymbol& callee) {
    I(AArch64Opcode::kBl, {aarch64::Target(ctx_.GetOrCreateSymbol(callee))});
    return RecordFrame({});
  }

  // Loads the address of \p sym into \p dst through the GOT (emit.mlp
  // `emit_load_symbol_addr` for -dlcode and macOS).
  void LoadAddress(const BackendSymbol& sym, XReg dst) {
    AsmSymbol* s = ctx_.GetOrCreateSymbol(sym);
    I(AArch64Opcode::kAdrp, {R(dst), aarch64::Target(s, Relocation::kGotPage)});
    I(AArch64Opcode::kLdr,
      {R(dst), aarch64::MemSymbol(dst.hw, s, Relocation::kGotPageOffset)});
  }

  // Allocates \p bytes (header included) on the minor heap; x27 then
  // points at the header. \p live are the registers holding values.
  absl::Status Alloc(int bytes, const std::vector<XReg>& live) {
    I(AArch64Opcode::kLdr, {R(kTmp), M(XReg{28}, kYoungLimitOffsetBytes)});
    I(AArch64Opcode::kSub, {aarch64::X(27), aarch64::X(27), Imm(bytes)});
    I(AArch64Opcode::kCmp, {aarch64::X(27), R(kTmp)});
    return GcPoint(AArch64Opcode::kBLo, live,
                   std::vector<int>{bytes / kWordBytes});
  }

  // A poll point: calls the GC if the runtime asked for it.
  absl::Status Poll(const std::vector<XReg>& live) {
    I(AArch64Opcode::kLdr, {R(kTmp), M(XReg{28}, kYoungLimitOffsetBytes)});
    I(AArch64Opcode::kCmp, {aarch64::X(27), R(kTmp)});
    return GcPoint(AArch64Opcode::kBLs, live, std::vector<int>{});
  }

  // emit.mlp `output_epilogue`: 5.4 reloads x30 from below the stack
  // pointer once the frame is gone.
  void Epilogue() {
    if (frame_bytes_ == 0) return;
    if (version() == formats::OcamlVersion::k54) {
      StackAdjust(frame_bytes_);
      I(AArch64Opcode::kLdr, {R(kReturnAddress), SpSlot(-kWordBytes)});
    } else {
      I(AArch64Opcode::kLdr,
        {R(kReturnAddress), SpSlot(frame_bytes_ - kWordBytes)});
      StackAdjust(frame_bytes_);
    }
  }
  // The function body may continue after a return: reset the CFA.
  void Reopen() {
    if (frame_bytes_ > 0) out_.AdjustCfa(frame_bytes_);
  }
  void TailJump(XReg target) {
    Epilogue();
    I(AArch64Opcode::kBr, {R(target)});
    Reopen();
  }
  void Return() {
    Epilogue();
    I(AArch64Opcode::kRet);
    Reopen();
  }

  absl::Status End() {
    CAMLSYM_RETURN_IF_ERROR(EmitGcSites(
        aarch64::Insn(
            AArch64Opcode::kBl,
            {aarch64::Target(ctx_.GetOrCreateSymbol(BackendSymbol::CallGc()))}),
        static_cast<uint16_t>(AArch64Opcode::kB)));
    out_.Append(Cfi{CfiKind::kEndProc});
    // 5.x's fundecl repeats the symbol's type before its size.
    if (version() != formats::OcamlVersion::k413) {
      out_.Append(Type{sym_, SymbolType::kFunction});
    }
    out_.Append(Size{sym_});
    return absl::OkStatus();
  }

 private:
  absl::Status GcPoint(AArch64Opcode branch, const std::vector<XReg>& live,
                       std::vector<int> alloc_words) {
    CAMLSYM_RETURN_IF_ERROR(CheckHasFrame());
    std::vector<int> live_slots;
    for (XReg r : live) {
      const int n = ProcRegNumber(r);
      if (n < 0) {
        return absl::InternalError(fmt::format("{} is live at a GC point in {}",
                                               RegName(r), sym_->encoded()));
      }
      live_slots.push_back((n << 1) | 1);
    }
    // The descriptor belongs to the return address of the out-of-line
    // `bl caml_call_gc`, defined in End().
    return AddGcSite(static_cast<uint16_t>(branch), std::move(live_slots),
                     std::move(alloc_words));
  }

  ArgumentConvention conv_;
};

// A frame of \p locals words plus the saved x30, rounded up to 16 bytes.
int FrameWithLocals(int locals) {
  return AlignUp(kWordBytes * locals + kWordBytes, kStackAlignBytes);
}

// Jumps to (tail call) or calls-and-returns through the code pointer in
// x17, with \p area bytes of outgoing arguments already pushed.
absl::Status FinishFullApplication(FunctionEmitter& f, int area) {
  if (area == 0) {
    f.TailJump(kTmp2);
    return absl::OkStatus();
  }
  CAMLSYM_RETURN_IF_ERROR(f.CallIndirect(kTmp2, {}));
  f.PopArea(area);
  f.Return();
  return absl::OkStatus();
}

// The body of cmm_helpers.ml `apply_function_body` for \p srcs.size()
// arguments, with the closure in x19. Needs local slots 0 ..
// srcs.size() - 2 in the frame (and a frame whenever srcs.size() >= 2).
absl::Status EmitApplyBody(FunctionEmitter& f, const std::vector<Loc>& srcs) {
  const int m = static_cast<int>(srcs.size());
  if (m == 1) {
    CAMLSYM_RETURN_IF_ERROR(f.ParallelMove({{srcs[0], Loc::R(XReg{0})}}));
    f.I(AArch64Opcode::kMov, {aarch64::X(1), FunctionEmitter::R(kClos)});
    f.I(AArch64Opcode::kLdr, {FunctionEmitter::R(kTmp2), aarch64::Mem(1, 0)});
    f.TailJump(kTmp2);
    return absl::OkStatus();
  }
  AsmLabel* slow = f.NewLabel();
  // Full application when the closure's arity is m.
  f.I(AArch64Opcode::kLdr, {aarch64::X(16), FunctionEmitter::M(kClos, 8)});
  f.I(AArch64Opcode::kAsr, {aarch64::X(16), aarch64::X(16), aarch64::Imm(56)});
  f.I(AArch64Opcode::kCmp, {aarch64::X(16), FunctionEmitter::Imm(m)});
  f.I(AArch64Opcode::kBNe, {aarch64::Target(slow)});
  const int area = f.OutgoingAreaBytes(m + 1);
  f.PushArea(area);
  std::vector<std::pair<Loc, Loc>> moves;
  for (int i = 0; i < m; ++i) moves.push_back({srcs[i], f.ArgOut(i, area)});
  moves.push_back({Loc::R(kClos), f.ArgOut(m, area)});
  CAMLSYM_RETURN_IF_ERROR(f.ParallelMove(std::move(moves)));
  f.I(AArch64Opcode::kLdr, {aarch64::X(17), FunctionEmitter::M(kClos, 16)});
  CAMLSYM_RETURN_IF_ERROR(FinishFullApplication(f, area));
  // Otherwise one argument at a time through field 0.
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(slow));
  moves.clear();
  for (int i = 1; i < m; ++i) moves.push_back({srcs[i], Local(i - 1)});
  moves.push_back({srcs[0], Loc::R(XReg{0})});
  CAMLSYM_RETURN_IF_ERROR(f.ParallelMove(std::move(moves)));
  f.I(AArch64Opcode::kMov, {aarch64::X(1), FunctionEmitter::R(kClos)});
  f.I(AArch64Opcode::kLdr, {aarch64::X(17), aarch64::Mem(1, 0)});
  std::vector<Loc> live;
  for (int i = 1; i < m; ++i) live.push_back(Local(i - 1));
  CAMLSYM_RETURN_IF_ERROR(f.CallIndirect(kTmp2, live));
  for (int k = 2; k <= m; ++k) {
    f.I(AArch64Opcode::kMov, {aarch64::X(1), aarch64::X(0)});
    f.I(AArch64Opcode::kLdr, {aarch64::X(17), aarch64::Mem(1, 0)});
    f.I(AArch64Opcode::kLdr, {aarch64::X(0), f.Op(Local(k - 2))});
    if (k < m) {
      live.erase(live.begin());
      CAMLSYM_RETURN_IF_ERROR(f.CallIndirect(kTmp2, live));
    } else {
      f.TailJump(kTmp2);
    }
  }
  return absl::OkStatus();
}

}  // namespace

AArch64StartupTarget::AArch64StartupTarget(ObjectFile file,
                                           ManglingScheme scheme,
                                           int num_int_arg_regs,
                                           formats::OcamlVersion version)
    : file_(std::move(file)),
      scheme_(scheme),
      num_arg_regs_(std::clamp(num_int_arg_regs, 1, 16)),
      version_(version) {}

absl::Status AArch64StartupTarget::EmitBeginAssembly(DirectiveStream& out) {
  // arm64 emit.mlp begin_assembly has no constants before the markers.
  return absl::OkStatus();
}

absl::Status AArch64StartupTarget::EmitProgram(
    DirectiveStream& out, const std::vector<BackendSymbol>& entries) {
  FunctionEmitter f(*this, out, BackendSymbol::Program(), 16,
                    CallsOf(StartupFunction::kProgram, 0, Convention()));
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  for (const BackendSymbol& entry : entries) {
    CAMLSYM_RETURN_IF_ERROR(f.CallSymbol(entry));
    f.LoadAddress(BackendSymbol::GlobalsInited(), XReg{0});
    f.I(AArch64Opcode::kLdr, {aarch64::X(1), aarch64::Mem(0, 0)});
    f.I(AArch64Opcode::kAdd, {aarch64::X(1), aarch64::X(1), aarch64::Imm(1)});
    // cmm_helpers.ml entry_point: `Cstore (Word_int, Assignment)`.
    f.AssignmentBarrier();
    f.I(AArch64Opcode::kStr, {aarch64::X(1), aarch64::Mem(0, 0)});
  }
  f.LoadConst(XReg{0}, 1);  // Val_unit
  f.Return();
  return f.End();
}

// caml_curryN (num = 0) or caml_curryN_num: (arg, clos) -> the closure that
// waits for argument num + 2: 5 fields (code, info, _app code, arg,
// parent) while an _app shortcut exists, else 4 (code, info, arg, parent).
absl::Status AArch64StartupTarget::EmitCurryClosure(DirectiveStream& out,
                                                    int arity, int num) {
  const BackendSymbol name =
      num == 0 ? BackendSymbol::Curry(arity, file_)
               : BackendSymbol::CurryPartial(arity, num, file_);
  const bool with_app = arity <= kMaxArityOptimized && arity - num > 2;
  const int fields = with_app ? 5 : 4;
  FunctionEmitter f(*this, out, name, 16);
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  CAMLSYM_RETURN_IF_ERROR(
      f.Alloc((fields + 1) * kWordBytes, {XReg{0}, XReg{1}}));
  f.I(AArch64Opcode::kAdd, {aarch64::X(2), aarch64::X(27), aarch64::Imm(8)});
  f.LoadConst(XReg{3}, ClosureHeader(fields));
  f.I(AArch64Opcode::kStr, {aarch64::X(3), aarch64::Mem(2, -8)});
  f.LoadAddress(BackendSymbol::CurryPartial(arity, num + 1, file_), XReg{3});
  f.I(AArch64Opcode::kStr, {aarch64::X(3), aarch64::Mem(2, 0)});
  f.LoadConst(XReg{3},
              with_app ? ClosureInfo(arity - num - 1, 3) : ClosureInfo(1, 2));
  f.I(AArch64Opcode::kStr, {aarch64::X(3), aarch64::Mem(2, 8)});
  int next_field = 2;
  if (with_app) {
    f.LoadAddress(BackendSymbol::CurryPartialApp(arity, num + 1, file_),
                  XReg{3});
    f.I(AArch64Opcode::kStr, {aarch64::X(3), aarch64::Mem(2, 16)});
    next_field = 3;
  }
  f.I(AArch64Opcode::kStr,
      {aarch64::X(0), FunctionEmitter::M(XReg{2}, 8 * next_field)});
  f.I(AArch64Opcode::kStr,
      {aarch64::X(1), FunctionEmitter::M(XReg{2}, 8 * (next_field + 1))});
  f.I(AArch64Opcode::kMov, {aarch64::X(0), aarch64::X(2)});
  f.Return();
  return f.End();
}

// caml_curryN_k_app (args k+1 .. N, clos): the closure made by
// caml_curryN_{k-1} applied to all its remaining arguments at once. Every
// closure of the chain has 5 fields: argument in 3, parent in 4.
absl::Status AArch64StartupTarget::EmitCurryApp(DirectiveStream& out, int arity,
                                                int k) {
  const int num_in = arity - k;  // arguments besides the closure
  const int area = Convention().OutgoingAreaBytes(arity + 1);
  FunctionEmitter f(*this, out, BackendSymbol::CurryPartialApp(arity, k, file_),
                    16,
                    CallsOf(StartupFunction::kCurryApp, arity, Convention()));
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  // The poll, when every incoming value is in a register (the GC sees
  // neither stack arguments above the frame nor OCaml 5's domain-state
  // ones).
  if (area == 0 && num_in + 1 <= num_arg_regs_) {
    std::vector<XReg> live;
    for (int i = 0; i <= num_in; ++i) live.push_back(XReg{i});
    CAMLSYM_RETURN_IF_ERROR(f.Poll(live));
  }
  f.PushArea(area);
  f.Move(f.ArgIn(num_in), Loc::R(kClos));
  // Shift the incoming arguments up by k, highest first: no destination is
  // a pending source.
  for (int i = num_in - 1; i >= 0; --i) {
    f.Move(f.ArgIn(i), f.ArgOut(i + k, area));
  }
  for (int j = k; j >= 1; --j) {
    f.Move(Loc::Mem(kClos, 24), f.ArgOut(j - 1, area));
    f.I(AArch64Opcode::kLdr,
        {FunctionEmitter::R(kClos), FunctionEmitter::M(kClos, 32)});
  }
  f.Move(Loc::R(kClos), f.ArgOut(arity, area));
  f.I(AArch64Opcode::kLdr, {aarch64::X(17), FunctionEmitter::M(kClos, 16)});
  CAMLSYM_RETURN_IF_ERROR(FinishFullApplication(f, area));
  return f.End();
}

// caml_curryN_{N-1} (last arg, clos): walks the chain of partial
// applications back to the function's closure and applies it fully.
absl::Status AArch64StartupTarget::EmitFinalCurry(DirectiveStream& out,
                                                  int arity) {
  const int area = Convention().OutgoingAreaBytes(arity + 1);
  FunctionEmitter f(*this, out,
                    BackendSymbol::CurryPartial(arity, arity - 1, file_), 16,
                    CallsOf(StartupFunction::kFinalCurry, arity, Convention()));
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  if (area == 0) CAMLSYM_RETURN_IF_ERROR(f.Poll({XReg{0}, XReg{1}}));
  f.PushArea(area);
  f.I(AArch64Opcode::kMov, {FunctionEmitter::R(kClos), aarch64::X(1)});
  f.I(AArch64Opcode::kMov, {FunctionEmitter::R(kX20), aarch64::X(0)});
  for (int j = arity - 1; j >= 1; --j) {
    // The closure holding argument j was made by caml_curryN_{j-1}.
    const bool five = arity <= kMaxArityOptimized && j - 1 <= arity - 3;
    const int arg_field = five ? 3 : 2;
    f.Move(Loc::Mem(kClos, 8 * arg_field), f.ArgOut(j - 1, area));
    f.I(AArch64Opcode::kLdr, {FunctionEmitter::R(kClos),
                              FunctionEmitter::M(kClos, 8 * (arg_field + 1))});
  }
  f.Move(Loc::R(kX20), f.ArgOut(arity - 1, area));
  f.Move(Loc::R(kClos), f.ArgOut(arity, area));
  f.I(AArch64Opcode::kLdr, {aarch64::X(17), FunctionEmitter::M(kClos, 16)});
  CAMLSYM_RETURN_IF_ERROR(FinishFullApplication(f, area));
  return f.End();
}

// caml_tuplifyN (tuple, clos): full application to the tuple's fields.
absl::Status AArch64StartupTarget::EmitTuplify(DirectiveStream& out,
                                               int arity) {
  const int area = Convention().OutgoingAreaBytes(arity + 1);
  FunctionEmitter f(*this, out, BackendSymbol::Tuplify(arity, file_), 16,
                    CallsOf(StartupFunction::kTuplify, arity, Convention()));
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  if (area == 0) CAMLSYM_RETURN_IF_ERROR(f.Poll({XReg{0}, XReg{1}}));
  f.PushArea(area);
  f.I(AArch64Opcode::kMov, {FunctionEmitter::R(kX20), aarch64::X(0)});
  f.I(AArch64Opcode::kMov, {FunctionEmitter::R(kClos), aarch64::X(1)});
  for (int i = 0; i < arity; ++i) {
    f.Move(Loc::Mem(kX20, 8 * i), f.ArgOut(i, area));
  }
  f.Move(Loc::R(kClos), f.ArgOut(arity, area));
  f.I(AArch64Opcode::kLdr, {aarch64::X(17), FunctionEmitter::M(kClos, 16)});
  CAMLSYM_RETURN_IF_ERROR(FinishFullApplication(f, area));
  return f.End();
}

absl::Status AArch64StartupTarget::EmitApply(DirectiveStream& out, int arity) {
  CAMLSYM_RETURN_IF_ERROR(CheckGenericArity("caml_apply", arity, 2, kMaxArity));
  FunctionEmitter f(*this, out, BackendSymbol::Apply(arity, file_),
                    FrameWithLocals(arity - 1),
                    CallsOf(StartupFunction::kApply, arity, Convention()));
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  f.Move(f.ArgIn(arity), Loc::R(kClos));
  std::vector<Loc> srcs;
  for (int i = 0; i < arity; ++i) srcs.push_back(f.ArgIn(i));
  CAMLSYM_RETURN_IF_ERROR(EmitApplyBody(f, srcs));
  return f.End();
}

absl::Status AArch64StartupTarget::EmitSend(DirectiveStream& out, int arity) {
  CAMLSYM_RETURN_IF_ERROR(
      CheckGenericArity("caml_send", arity, 0, kMaxArity - 1));
  // Arguments: obj (x0), tag (x1), cache (x2), then the method's arguments,
  // which the lookup leaves alone but which are saved in locals like the
  // apply body wants them.
  FunctionEmitter f(*this, out, BackendSymbol::Send(arity, file_),
                    arity == 0 ? 0 : FrameWithLocals(arity),
                    CallsOf(StartupFunction::kSend, arity, Convention()));
  CAMLSYM_RETURN_IF_ERROR(f.Begin());
  std::vector<std::pair<Loc, Loc>> saves;
  std::vector<Loc> srcs = {Loc::R(XReg{0})};
  for (int i = 0; i < arity; ++i) {
    saves.push_back({f.ArgIn(i + 3), Local(i)});
    srcs.push_back(Local(i));
  }
  CAMLSYM_RETURN_IF_ERROR(f.ParallelMove(std::move(saves)));
  // meths = obj.(0) in x20; cached = !cache land meths.(1), a byte offset
  // such that meths + cached + 23 holds the tag, in x22.
  AsmLabel* hit = f.NewLabel();
  AsmLabel* loop = f.NewLabel();
  AsmLabel* ge = f.NewLabel();
  AsmLabel* test = f.NewLabel();
  using FE = FunctionEmitter;
  f.I(AArch64Opcode::kLdr, {FE::R(kX20), aarch64::Mem(0, 0)});
  f.I(AArch64Opcode::kLdr, {FE::R(kX21), FE::M(kX20, 8)});
  f.I(AArch64Opcode::kLdr, {FE::R(kX22), aarch64::Mem(2, 0)});
  f.I(AArch64Opcode::kAnd, {FE::R(kX22), FE::R(kX22), FE::R(kX21)});
  f.I(AArch64Opcode::kAdd, {FE::R(kX23), FE::R(kX22), FE::R(kX20)});
  f.I(AArch64Opcode::kLdr, {FE::R(kX23), FE::M(kX23, 23)});
  f.I(AArch64Opcode::kCmp, {FE::R(kX23), aarch64::X(1)});
  f.I(AArch64Opcode::kBEq, {aarch64::Target(hit)});
  // cache_public_method: binary search of the tag in the method table,
  // whose word 0 is the last index; li in x24, hi in x25, mi in x23 (all
  // tagged, so mi * 8 addresses field mi).
  f.I(AArch64Opcode::kMov, {FE::R(kX24), aarch64::Imm(3)});
  f.I(AArch64Opcode::kLdr, {FE::R(kX25), FE::M(kX20, 0)});
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(loop));
  f.I(AArch64Opcode::kAdd, {FE::R(kX23), FE::R(kX24), FE::R(kX25)});
  f.I(AArch64Opcode::kLsr, {FE::R(kX23), FE::R(kX23), aarch64::Imm(1)});
  f.I(AArch64Opcode::kOrr, {FE::R(kX23), FE::R(kX23), aarch64::Imm(1)});
  f.I(AArch64Opcode::kAdd,
      {FE::R(kX21), FE::R(kX20), FE::R(kX23), aarch64::Lsl(3)});
  f.I(AArch64Opcode::kLdr, {FE::R(kX21), FE::M(kX21, 0)});
  f.I(AArch64Opcode::kCmp, {aarch64::X(1), FE::R(kX21)});
  f.I(AArch64Opcode::kBGe, {aarch64::Target(ge)});
  f.I(AArch64Opcode::kSub, {FE::R(kX25), FE::R(kX23), aarch64::Imm(2)});
  f.I(AArch64Opcode::kB, {aarch64::Target(test)});
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(ge));
  f.I(AArch64Opcode::kMov, {FE::R(kX24), FE::R(kX23)});
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(test));
  f.I(AArch64Opcode::kCmp, {FE::R(kX24), FE::R(kX25)});
  f.I(AArch64Opcode::kBLt, {aarch64::Target(loop)});
  // !cache := li * 8 - 23.
  f.I(AArch64Opcode::kLsl, {FE::R(kX22), FE::R(kX24), aarch64::Imm(3)});
  f.I(AArch64Opcode::kSub, {FE::R(kX22), FE::R(kX22), aarch64::Imm(23)});
  // cmm_helpers.ml cache_public_method: `Cstore (Word_int, Assignment)`.
  f.AssignmentBarrier();
  f.I(AArch64Opcode::kStr, {FE::R(kX22), aarch64::Mem(2, 0)});
  CAMLSYM_RETURN_IF_ERROR(f.DefineLabel(hit));
  // The method's closure, the field before the tag.
  f.I(AArch64Opcode::kAdd, {FE::R(kX23), FE::R(kX22), FE::R(kX20)});
  f.I(AArch64Opcode::kLdr, {FE::R(kClos), FE::M(kX23, 15)});
  CAMLSYM_RETURN_IF_ERROR(EmitApplyBody(f, srcs));
  return f.End();
}

}  // namespace camlsym
