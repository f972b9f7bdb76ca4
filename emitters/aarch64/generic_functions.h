// AArch64 code for the startup file: caml_program and the generic functions
// (caml_applyN, caml_curryN, caml_curryN_K, caml_curryN_K_app,
// caml_tuplifyN, caml_sendN), written as instruction templates
// parameterised by N that keep the arm64 conventions of the OCaml release
// (4.13's, and 5.x's differences listed at AArch64StartupTarget): arguments
// in x0..x15 (x0..x7 on macOS) then on the stack (caller's outgoing area,
// 16-byte aligned), result in x0, young pointer in x27, domain state in
// x28, x16/x17 as scratch (never live across a call: linker veneers use
// them); frames that are multiples of 16 bytes with x30 saved in their top
// word when the function calls anything (allocation points included);
// inline allocation `ldr x16, [x28, #young_limit]; sub x27, x27, #n; cmp
// x27, x16; b.lo` with an out-of-line `bl caml_call_gc`; polls at the entry
// of functions that tail-call indirectly (polling.ml); a frame descriptor
// at every call and GC point, live registers numbered as in proc.ml;
// symbol addresses loaded through the GOT (`adrp` + `ldr` with the
// kGotPage / kGotPageOffset relocations), calls as `bl sym`; CFI.
//
// Mirrors: asmcomp/arm64/emit.mlp (OCaml 4.13.1, 5.3.0, 5.4.1) (`fundecl`,
// `Lprologue`, `output_epilogue`, `assembly_code_for_allocation`,
// `assembly_code_for_poll`, `emit_call_gc`, `emit_load_symbol_addr`,
// `record_frame_label`), asmcomp/arm64/proc.ml (registers, calling
// convention), asmcomp/cmm_helpers.ml (generic functions),
// asmcomp/polling.ml, runtime/arm64.S (`caml_call_gc`).
#ifndef CAMLSYM_EMITTERS_AARCH64_GENERIC_FUNCTIONS_H_
#define CAMLSYM_EMITTERS_AARCH64_GENERIC_FUNCTIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "camlsym/emitters/directive.h"
#include "camlsym/emitters/frame_table.h"
#include "camlsym/emitters/function_abi.h"
#include "camlsym/emitters/startup_target.h"
#include "camlsym/formats/ocaml_version.h"
#include "camlsym/symbols/mangling_scheme.h"
#include "camlsym/symbols/object_file.h"

namespace camlsym {

/// The AArch64 StartupTarget. Defines its functions in \p file (the startup
/// or the shared startup); \p scheme mangles the units' entry symbols;
/// \p num_int_arg_regs is how many of x0.. carry OCaml arguments (proc.ml
/// `last_int_register` + 1: 16 on Linux, 8 on macOS; clamped to [1, 16]);
/// \p version is the OCaml release whose ABI the code follows (4.13, 5.3
/// or 5.4; MakeStartupTarget refuses the others). The emitted text is the
/// same for ELF and Mach-O: only the printer's AsmSyntax differs.
///
/// OCaml 5.x's functions differ from 4.13's, as arm64/emit.mlp and
/// proc.ml of 5.3.0 and 5.4.1 make them: arguments after x15 in the
/// domain state's `extra_params` (function_abi.h), the stack check with
/// its `caml_call_realloc_stack` stub in every function that makes
/// non-tail calls or has a large frame, `dmb ishld` before each store
/// that assigns (caml_program's `caml_globals_inited`, caml_sendN's
/// method cache), the type repeated before the size; and 5.4 saves x30 at
/// `[sp, #-8]` before lowering sp (and reloads it after raising sp).
class AArch64StartupTarget final : public StartupTarget {
 public:
  AArch64StartupTarget(
      ObjectFile file, ManglingScheme scheme, int num_int_arg_regs = 16,
      formats::OcamlVersion version = formats::OcamlVersion::k413);

  absl::Status EmitBeginAssembly(DirectiveStream& out) override;
  absl::Status EmitProgram(DirectiveStream& out,
                           const std::vector<BackendSymbol>& entries) override;
  absl::Status EmitApply(DirectiveStream& out, int arity) override;
  absl::Status EmitSend(DirectiveStream& out, int arity) override;
  /// True: arm64 emit.mlp makes every defined data symbol global.
  bool GlobalizesDataSymbols() const override { return true; }
  /// True: arm64 emit.mlp types the frame table as an object.
  bool TypesFrametable() const override { return true; }
  /// The object file the functions are defined in.
  const ObjectFile& file() const { return file_; }
  /// Integer argument registers of the OCaml calling convention.
  int num_int_arg_regs() const { return num_arg_regs_; }
  /// The OCaml release whose ABI the functions follow.
  formats::OcamlVersion ocaml_version() const { return version_; }
  /// Where the functions' calls pass their arguments.
  ArgumentConvention Convention() const {
    return ArgumentConvention(version_, num_arg_regs_);
  }

 private:
  absl::Status EmitCurryClosure(DirectiveStream& out, int arity,
                                int num) override;
  absl::Status EmitCurryApp(DirectiveStream& out, int arity, int num) override;
  absl::Status EmitFinalCurry(DirectiveStream& out, int arity) override;
  absl::Status EmitTuplify(DirectiveStream& out, int arity) override;

  ObjectFile file_;
  ManglingScheme scheme_;
  int num_arg_regs_;
  formats::OcamlVersion version_;
};

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_AARCH64_GENERIC_FUNCTIONS_H_
