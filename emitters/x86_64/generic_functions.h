// x86-64 code for the startup file: caml_program and the generic functions
// (caml_applyN, caml_curryN, caml_curryN_K, caml_curryN_K_app,
// caml_tuplifyN, caml_sendN), written as instruction templates
// parameterised by N that keep OCaml 4.13's amd64 conventions: arguments
// in rax, rbx, rdi, rsi, rdx, rcx, r8, r9, r12, r13 then on the stack
// (caller-popped, 16-byte aligned area), result in rax, young pointer in
// r15, domain state in r14; inline allocation `sub $n, %r15; cmp
// young_limit(%r14), %r15; jb` with an out-of-line `call caml_call_gc`;
// polls at the entry of functions that tail-call indirectly (polling.ml);
// frames that are multiples of 16 bytes including the return address (from
// 5.2, frames of the bytes they hold: function_abi.h); a frame descriptor at
// every call and GC point; PIC references (`@PLT`, `@GOTPCREL`) and CFI.
// OCaml 5's differences are listed at X86_64StartupTarget.
//
// Mirrors: asmcomp/cmm_helpers.ml (generic functions), asmcomp/amd64/proc.ml
// (registers, calling convention), asmcomp/amd64/emit.mlp (`fundecl`,
// `Ialloc`, `Ipoll`, `emit_call_gc`, epilogues), asmcomp/polling.ml,
// runtime/amd64.S (`caml_call_gc`) (OCaml 4.13.1, 5.3.0, 5.4.1).
#ifndef CAMLSYM_EMITTERS_X86_64_GENERIC_FUNCTIONS_H_
#define CAMLSYM_EMITTERS_X86_64_GENERIC_FUNCTIONS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "camlsym/emitters/directive.h"
#include "camlsym/emitters/frame_table.h"
#include "camlsym/emitters/startup_target.h"
#include "camlsym/formats/ocaml_version.h"
#include "camlsym/symbols/mangling_scheme.h"
#include "camlsym/symbols/object_file.h"

namespace camlsym {

/// The x86-64 StartupTarget. Defines its functions in \p file (the startup
/// or the shared startup); \p scheme mangles the units' entry symbols;
/// \p version is the OCaml release whose ABI the code follows: from 5.x,
/// every function that makes a non-tail call (or whose frame reaches the
/// 256-byte stack threshold) starts with OCaml 5's stack check and ends
/// with its `caml_call_realloc_stack` stub (amd64/emit.mlp `fundecl`);
/// arguments after the tenth go to the domain state's `extra_params`;
/// frames are not rounded to 16 bytes; 5.4 types the frame table.
class X86_64StartupTarget final : public StartupTarget {
 public:
  X86_64StartupTarget(ObjectFile file, ManglingScheme scheme,
                      formats::OcamlVersion version)
      : file_(std::move(file)), scheme_(scheme), version_(version) {}

  absl::Status EmitBeginAssembly(DirectiveStream& out) override;
  absl::Status EmitProgram(DirectiveStream& out,
                           const std::vector<BackendSymbol>& entries) override;
  absl::Status EmitApply(DirectiveStream& out, int arity) override;
  absl::Status EmitSend(DirectiveStream& out, int arity) override;
  /// From OCaml 5.4, amd64 emit.mlp types the frame table as an object.
  bool TypesFrametable() const override {
    return version_ == formats::OcamlVersion::k54;
  }
  const ObjectFile& file() const { return file_; }
  formats::OcamlVersion ocaml_version() const { return version_; }

 private:
  absl::Status EmitCurryClosure(DirectiveStream& out, int arity,
                                int num) override;
  absl::Status EmitCurryApp(DirectiveStream& out, int arity, int num) override;
  absl::Status EmitFinalCurry(DirectiveStream& out, int arity) override;
  absl::Status EmitTuplify(DirectiveStream& out, int arity) override;

  ObjectFile file_;
  ManglingScheme scheme_;
  formats::OcamlVersion version_;
};

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_X86_64_GENERIC_FUNCTIONS_H_
