// The round under way, shared by the round-based rules (sync, ksync, local_sgd, kasync):
// which gradients it holds and how it turns into an apply_round decision.
#pragma once

#include "sim/training/consistency/participants.hpp"
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
/// local_sgd); each mode says how many it wants and at which rate it applies. With
/// client sampling a round has drawn participants: only they get the parameters, only
/// their gradients count, and the round wants at most as many as it has.
class round_rule : public server_rule {
public:
  /// A round rule for `workers` workers under `training`, sampling per `sampling`.
  round_rule(const training_config& training, std::size_t workers,
             const round_sampling& sampling = {})
    : server_rule(training, workers), round_(workers),
      participants_(sampling.participants, workers, sampling.seed) {}

  /// Takes a gradient of a participant on the current version into the round;
  /// discards others.
  decisions on_gradient(const gradient_arrival& g, std::uint64_t version) override;

  /// No answer while the repeat's round is still open: the broadcast answers it; none
  /// either to a worker outside the round.
  decisions on_repeat(const gradient_arrival& g, std::uint64_t version) const override;

  /// Sends the parameters to the first round's participants.
  decisions on_start() override;

  /// Forgets the round.
  void on_server_crash() override { round_.clear(); }

  /// Starts a new round on the checkpoint's parameters.
  decisions on_server_restart() override;

  /// Gradients held in the round.
  std::size_t round_size() const override { return round_.size(); }

  /// True when `worker` sent its gradient of this round.
  bool in_round(std::uint32_t worker) const override { return round_.has(worker); }

  /// True when `worker` takes part in the round under way (always without sampling).
  bool participates(std::uint32_t worker) const;
  /// The rule's work, the round's and the draws'.
  std::uint64_t work() const override {
    return server_rule::work() + round_.touched() + participants_.touched();
  }

protected:
  /// Closes the round if the live workers now make its quorum.
  decisions after_worker_lost(std::uint32_t worker, std::uint64_t version) override;

  /// Answers a joined worker that takes part in the round, or joins a round short of
  /// participants; the others idle until drawn.
  decisions after_worker_joined(std::uint32_t worker) override;

  /// How many gradients a round wants before the quorum rule.
  virtual std::size_t wanted() const = 0;

  /// The rate at which the round is applied from `version`.
  virtual double round_rate(std::uint64_t version) const = 0;

private:
  decisions finish(std::uint64_t version);
  decisions next_round();
  std::size_t needed() const;
  std::size_t present() const;
  round_members round_;
  participants participants_;
};

} // namespace psim::sim
