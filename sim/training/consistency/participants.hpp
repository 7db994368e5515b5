// Client sampling in the round modes (cluster.participants): each round the server
// picks C of the live workers uniformly at random from the stream "participation";
// only they get the parameters and only their gradients enter the round.
#pragma once

#include "sim/random/random.hpp"

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

  /// Draws the next round's participants among the workers `live` marks, uniformly
  /// without replacement (all of them when fewer are live); returns them in worker order.
  std::vector<std::uint32_t> draw(const std::vector<bool>& live);

  /// Adds `worker` to the round under way (a worker that joins a round short of them).
  void add(std::uint32_t worker);

  /// True when `worker` takes part in the round under way.
  bool has(std::uint32_t worker) const { return chosen_.at(worker); }

  /// The participants of the round under way, in worker order.
  std::vector<std::uint32_t> members() const;

private:
  std::size_t wanted_;
  std::vector<bool> chosen_; // per worker: in the round under way
  random_stream rng_;        // stream "participation"
};

} // namespace psim::sim
