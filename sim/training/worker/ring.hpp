// allreduce on the worker, as a pure state machine: one member of a ring all-reduce of
// [n_w g_w, n_w] (reduce-scatter, then all-gather, 2(N-1) steps of one chunk each).
// It says which chunk to send next and when the round is complete; the caller moves
// the chunks between members.
#pragma once

#include "sim/model/model.hpp"
#include "sim/training/ring_plan.hpp"

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace psim::sim {

/// What a ring member does next.
struct ring_action {
  /// The kinds of action.
  enum class kind { wait, send, complete };
  kind what = kind::wait; ///< wait for a chunk, send one, or apply the round
  std::uint32_t step = 0; ///< send: the step the chunk belongs to
  std::size_t chunk = 0;  ///< send: which chunk of the sum to send
};

/// Member `id` of a ring of `workers` workers, for a vector of `params` parameters.
class ring_member {
public:
  /// A member that has not joined a round yet.
  ring_member(std::size_t workers, std::size_t id, Eigen::Index params);

  /// Joins a round with its own gradient over `samples` rows: the first action (send
  /// its own chunk at step 0, or complete when alone in the ring).
  ring_action join(Eigen::Ref<const vector> gradient, std::uint32_t samples);

  /// Keeps a chunk from the predecessor for `step` of `round` until it is due; a
  /// repeat of a chunk already kept is ignored.
  void arrive(std::uint64_t round, std::uint32_t step, std::vector<double> values);

  /// Takes the next step of `round` if its chunk has arrived: send the chunk it
  /// received on, or complete after the last step; wait otherwise.
  ring_action advance(std::uint64_t round);

  /// The values of chunk `c` of the sum, as they stand.
  std::vector<double> chunk(std::size_t c) const;

  /// The round is complete: theta takes the batch-weighted average step at `rate`,
  /// and the member leaves the round.
  void apply(vector& theta, double rate);

  /// The sum [sum n_w g_w, sum n_w] as it stands.
  const vector& sum() const { return sum_; }

  /// The member this one sends to.
  std::size_t successor() const { return (id_ + 1) % workers_; }

  /// The member this one receives from.
  std::size_t predecessor() const { return (id_ + workers_ - 1) % workers_; }

private:
  std::size_t workers_;  // N
  std::size_t id_;       // this member
  ring_plan plan_;       // which chunk moves when
  vector sum_;           // [sum n_w g_w, sum n_w]
  bool joined_ = false;  // its own gradient is in sum_
  std::uint32_t next_ = 0; // next step to take
  std::map<std::pair<std::uint64_t, std::uint32_t>, std::vector<double>> early_; // chunks ahead
};

} // namespace psim::sim
