// The round under way, shared by the round-based rules (sync, ksync, local_sgd, kasync):
// which gradients it holds and how it turns into an apply_round decision.
#pragma once

#include "sim/training/consistency/rule.hpp"

namespace psim::sim {

/// The gradients taken into the round under way, in arrival order.
class round_members {
public:
  /// An empty round for `workers` workers.
  explicit round_members(std::size_t workers) : has_(workers, false) {}

  /// Takes `g` into the round.
  void add(const gradient_arrival& g);

  /// How many gradients the round holds.
  std::size_t size() const { return members_.size(); }

  /// True when the round holds a gradient from `worker`.
  bool has(std::uint32_t worker) const {
    ++touched_;
    return has_.at(worker);
  }

  /// The decision that applies the round at `rate` from `version`; empties the round.
  apply_round close(double rate, std::uint64_t version);

  /// Forgets every gradient of the round, in time proportional to their number.
  void clear();

  /// Per-worker entries read or written so far (see server_rule::work()).
  std::uint64_t touched() const { return touched_; }

private:
  struct member {
    std::uint32_t worker;
    std::uint64_t version;
    std::uint32_t gradients;
  };
  std::vector<member> members_; // gradients taken, in arrival order
  std::vector<bool> has_;       // per worker: sent a gradient this round
  mutable std::uint64_t touched_ = 0; // see touched()
};

/// A rule whose rounds take one gradient per worker computed on the current version,
/// apply their samples-weighted average at a quorum and broadcast (sync, ksync,
/// local_sgd); each mode says how many it wants and at which rate it applies.
class round_rule : public server_rule {
public:
  /// A round rule for `workers` workers under `training`.
  round_rule(const training_config& training, std::size_t workers)
    : server_rule(training, workers), round_(workers) {}

  /// Takes a gradient on the current version into the round; discards others.
  decisions on_gradient(const gradient_arrival& g, std::uint64_t version) override;

  /// No answer while the repeat's round is still open: the broadcast answers it.
  decisions on_repeat(const gradient_arrival& g, std::uint64_t version) const override;

  /// Forgets the round.
  void on_server_crash() override { round_.clear(); }

  /// Gradients held in the round.
  std::size_t round_size() const override { return round_.size(); }

  /// True when `worker` sent its gradient of this round.
  bool in_round(std::uint32_t worker) const override { return round_.has(worker); }

  /// The rule's work and the round's.
  std::uint64_t work() const override { return server_rule::work() + round_.touched(); }

protected:
  /// Closes the round if the live workers now make its quorum.
  decisions after_worker_lost(std::uint64_t version) override;

  /// How many gradients a round wants before the quorum rule.
  virtual std::size_t wanted() const = 0;

  /// The rate at which the round is applied from `version`.
  virtual double round_rate(std::uint64_t version) const = 0;

private:
  decisions finish(std::uint64_t version);
  round_members round_;
};

} // namespace psim::sim
