// The worker side of a consistency mode: what a worker does when a computation
// finishes, and how new parameters affect one under way. One file per behaviour in
// this folder; make_worker_rule (rules.cpp) is the one place that chooses by mode.
#pragma once

#include "sim/scenario/scenario.hpp"

#include <cstdint>
#include <memory>

namespace psim::sim {

/// What a worker does with a gradient whose computation just finished.
enum class computed_action {
  push,       ///< send it to the servers (sync, async, ssp, ksync, kasync)
  local_step, ///< take a local SGD step; push the block's delta after H of them
  join_ring,  ///< put it into the ring all-reduce of this round
};

/// The worker's half of a consistency mode.
class worker_rule {
public:
  /// Rules are held through this interface.
  virtual ~worker_rule() = default;

  /// What to do when a computation finishes.
  virtual computed_action on_computed() const = 0;

  /// True when parameters of a newer round abandon the computation under way.
  virtual bool abandons_on_newer() const { return false; }

  /// True when the worker applies its own gradient to its parameters before pushing
  /// (and so computes again at once, without waiting for parameters).
  virtual bool applies_own_gradient() const { return false; }

  /// Local SGD steps per pushed block (1 when every gradient is pushed).
  virtual std::uint32_t steps_per_push() const { return 1; }

  /// True when the worker trains its own replica from the initial parameters, with
  /// no server (one key range, the whole vector).
  virtual bool keeps_replica() const { return false; }
};

/// Whether a worker under `rule`, with `shards` server shards, reads the received
/// parameters in place: it never changes them itself and one message holds them all
/// (else it keeps a copy of its own).
inline bool reads_in_place(const worker_rule& rule, std::size_t shards) {
  return shards == 1 && rule.on_computed() == computed_action::push
         && !rule.applies_own_gradient();
}

/// Push every gradient; `abandon`: newer parameters abandon a computation (ksync);
/// `local_update`: apply the own gradient first.
std::unique_ptr<const worker_rule> push_rule(bool abandon, bool local_update);

/// local_sgd: `steps` local steps per pushed model delta.
std::unique_ptr<const worker_rule> local_steps_rule(std::uint32_t steps);

/// allreduce: every gradient joins a ring all-reduce among the workers.
std::unique_ptr<const worker_rule> ring_rule();

/// The worker rule of `training.mode`, with that mode's parameters.
std::unique_ptr<const worker_rule> make_worker_rule(const training_config& training);

} // namespace psim::sim
