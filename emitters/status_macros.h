// CAMLSYM_RETURN_IF_ERROR: the early return every emitter step uses, in one
// place (Abseil does not export its own).
//
// Mirrors: nothing in OCaml (error plumbing; the OCaml emitters raise).
#ifndef CAMLSYM_EMITTERS_STATUS_MACROS_H_
#define CAMLSYM_EMITTERS_STATUS_MACROS_H_

#include "absl/status/status.h"

/// Evaluates \p expr, an absl::Status, once; returns it from the enclosing
/// function (which returns absl::Status or absl::StatusOr<T>) unless OK.
#define CAMLSYM_RETURN_IF_ERROR(expr)                                   \
  do {                                                                  \
    if (absl::Status camlsym_status_ = (expr); !camlsym_status_.ok()) { \
      return camlsym_status_;                                           \
    }                                                                   \
  } while (false)

#endif  // CAMLSYM_EMITTERS_STATUS_MACROS_H_
