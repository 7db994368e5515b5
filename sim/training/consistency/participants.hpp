// Client sampling in the round modes (cluster.participants): each round the server
// picks C of the live workers uniformly at random from the stream "participation";
// only they get the parameters and only their gradients enter the round.
#pragma once

#include "sim/random/random.hpp"
#include "sim/training/consistency/live_ranks.hpp"

#include <cstdint>
#include <vector>

namespace psim::sim {

/// The participants of the round under way and the draw that picks the next ones.
class participants {
public:
  /// Rounds of `wanted` participants among `workers` workers (0 or >= workers: all of
  /// them, nothing drawn), drawn from the stream "participation" of `seed`.
  participants(std::size_t wanted, std::size_t workers, std::uint64_t seed);

  /// True when rounds draw their participants (fewer wanted than workers).
  bool sampling() const { return wanted_ > 0 && wanted_ < chosen_.size(); }

  /// How many participants a round wants.
  std::size_t wanted() const { return wanted_; }

  /// Marks `worker` live or lost for the draws to come.
  void set_live(std::uint32_t worker, bool live) { live_.set(worker, live); }

  /// Draws the next round's participants among the live workers, uniformly without
  /// replacement (all of them when fewer are live), in O(C log N) for C participants;
  /// returns them in worker order.
  const std::vector<std::uint32_t>& draw();

  /// Adds `worker` to the round under way (a worker that joins a round short of them).
  void add(std::uint32_t worker);

  /// True when `worker` takes part in the round under way.
  bool has(std::uint32_t worker) const {
    ++touched_;
    return chosen_.at(worker);
  }

  /// The participants of the round under way, in worker order.
  const std::vector<std::uint32_t>& members() const { return members_; }

  /// Per-worker entries read or written so far (see server_rule::work()).
  std::uint64_t touched() const { return touched_; }

private:
  std::size_t wanted_;
  std::vector<bool> chosen_;           // per worker: in the round under way
  std::vector<std::uint32_t> members_; // the round's participants, in worker order
  live_ranks live_;                    // the workers a draw picks from
  random_stream rng_;                  // stream "participation"
  mutable std::uint64_t touched_ = 0;  // see touched()
};

} // namespace psim::sim
