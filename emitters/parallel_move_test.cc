// SequentializeMoves: the single moves it emits, done one after the other,
// leave every destination with the value its source had before any move
// (the meaning of a parallel move); self-moves are dropped; a cycle is
// kInternal naming the function, never a wrong order.
#include "camlsym/emitters/parallel_move.h"

#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace camlsym {
namespace {

using Moves = std::vector<std::pair<int, int>>;

// Runs SequentializeMoves on \p moves over locations holding their own
// number; returns its status, the emitted moves, and the final contents.
struct Outcome {
  absl::Status status;
  Moves emitted;
  std::map<int, int> contents;
};

Outcome Sequentialize(const Moves& moves) {
  Outcome o;
  for (const auto& [src, dst] : moves) {
    o.contents[src] = src;
    o.contents[dst] = dst;
  }
  o.status = SequentializeMoves(
      moves,
      [&](int src, int dst) {
        o.emitted.emplace_back(src, dst);
        o.contents[dst] = o.contents[src];
      },
      "caml_apply5");
  return o;
}

// The contents after \p moves done all at once.
std::map<int, int> Parallel(const Moves& moves) {
  std::map<int, int> c;
  for (const auto& [src, dst] : moves) {
    c[src] = src;
    c[dst] = dst;
  }
  std::map<int, int> after = c;
  for (const auto& [src, dst] : moves) after[dst] = c[src];
  return after;
}

TEST(SequentializeMovesTest, ChainIsDoneFromItsEnd) {
  // 1 -> 2 -> 3 -> 4: 3 must reach 4 before 2 overwrites 3, and so on.
  const Moves moves = {{1, 2}, {2, 3}, {3, 4}};
  Outcome o = Sequentialize(moves);
  ASSERT_TRUE(o.status.ok()) << o.status;
  EXPECT_EQ(o.emitted, (Moves{{3, 4}, {2, 3}, {1, 2}}));
  EXPECT_EQ(o.contents, Parallel(moves));
}

TEST(SequentializeMovesTest, SelfMovesAreDropped) {
  Outcome o = Sequentialize({{5, 5}, {1, 2}, {7, 7}});
  ASSERT_TRUE(o.status.ok()) << o.status;
  EXPECT_EQ(o.emitted, (Moves{{1, 2}}));
  EXPECT_TRUE(Sequentialize({{3, 3}}).emitted.empty());
  EXPECT_TRUE(Sequentialize({}).status.ok());
}

TEST(SequentializeMovesTest, OneSourceToManyDestinations) {
  const Moves moves = {{1, 2}, {1, 3}, {2, 4}, {3, 5}};
  Outcome o = Sequentialize(moves);
  ASSERT_TRUE(o.status.ok()) << o.status;
  EXPECT_EQ(o.emitted.size(), moves.size());
  EXPECT_EQ(o.contents, Parallel(moves));
}

TEST(SequentializeMovesTest, RandomAcyclicMovesKeepTheirMeaning) {
  // Shifts of argument lists (what the generic functions do: arguments
  // move down or up by a few registers or stack slots), with fan-out,
  // sources shuffled; never a cycle, since destinations are all distinct
  // and each chain ends outside the sources.
  std::mt19937 rng(16);
  for (int round = 0; round < 500; ++round) {
    const int n = 1 + static_cast<int>(rng() % 12);
    const int shift = 1 + static_cast<int>(rng() % 4);
    Moves moves;
    for (int i = 0; i < n; ++i) moves.emplace_back(i, i + shift);
    if (rng() % 2 == 0) moves.emplace_back(0, 100);  // fan-out
    std::shuffle(moves.begin(), moves.end(), rng);
    Outcome o = Sequentialize(moves);
    ASSERT_TRUE(o.status.ok()) << o.status;
    EXPECT_EQ(o.emitted.size(), moves.size());
    EXPECT_EQ(o.contents, Parallel(moves)) << "round " << round;
  }
}

TEST(SequentializeMovesTest, CyclesAreAnInternalErrorNamingTheFunction) {
  for (const Moves& cycle :
       {Moves{{1, 2}, {2, 1}}, Moves{{1, 2}, {2, 3}, {3, 1}},
        // A cycle behind an acyclic part.
        Moves{{0, 9}, {1, 2}, {2, 1}, {4, 5}}}) {
    SCOPED_TRACE(::testing::PrintToString(cycle));
    Outcome o = Sequentialize(cycle);
    EXPECT_EQ(o.status.code(), absl::StatusCode::kInternal);
    EXPECT_EQ(o.status.message(), "cyclic argument moves in caml_apply5");
    // Whatever was emitted before giving up is outside the cycle.
    for (const auto& [src, dst] : o.emitted) {
      EXPECT_FALSE(src == 1 || src == 2 || src == 3) << src << " -> " << dst;
    }
  }
}

}  // namespace
}  // namespace camlsym
