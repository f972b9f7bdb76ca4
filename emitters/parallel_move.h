// Sequentializing a parallel move: the generic functions pass arguments
// from where the caller put them to where the callee wants them, as if all
// at once; this orders the single moves so that no source is overwritten
// before it is read. Shared by the x86-64 and AArch64 emitters, which differ
// only in the instruction one move becomes.
//
// Mirrors: asmcomp/reloadgen.ml and the moves of asmcomp/selectgen.ml
// `insert_moves` (OCaml 4.13.1), for the acyclic moves the startup
// templates produce.
#ifndef CAMLSYM_EMITTERS_PARALLEL_MOVE_H_
#define CAMLSYM_EMITTERS_PARALLEL_MOVE_H_

#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "fmt/format.h"

namespace camlsym {

/// Performs \p moves (source, destination pairs of any location type \p Loc
/// with `==`) through \p emit_move(src, dst), in an order where no pending
/// source is overwritten. Moves to themselves are dropped. Returns
/// kInternal, naming \p function, if the moves form a cycle (the templates
/// never produce one; breaking it would need a scratch location).
template <typename Loc, typename EmitMove>
absl::Status SequentializeMoves(std::vector<std::pair<Loc, Loc>> moves,
                                EmitMove emit_move, std::string_view function) {
  std::erase_if(moves, [](const auto& m) { return m.first == m.second; });
  while (!moves.empty()) {
    bool progressed = false;
    for (size_t i = 0; i < moves.size(); ++i) {
      bool dst_is_pending_src = false;
      for (size_t j = 0; j < moves.size(); ++j) {
        if (j != i && moves[j].first == moves[i].second) {
          dst_is_pending_src = true;
        }
      }
      if (!dst_is_pending_src) {
        emit_move(moves[i].first, moves[i].second);
        moves.erase(moves.begin() + static_cast<std::ptrdiff_t>(i));
        progressed = true;
        break;
      }
    }
    if (!progressed) {
      return absl::InternalError(
          fmt::format("cyclic argument moves in {}", function));
    }
  }
  return absl::OkStatus();
}

}  // namespace camlsym

#endif  // CAMLSYM_EMITTERS_PARALLEL_MOVE_H_
