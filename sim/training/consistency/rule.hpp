// The server side of a consistency mode (DESIGN §3) as a pure rule: it is told the
// events a parameter server sees and answers with decisions; the actor carries them out.
// One file per mode beside this one; make_server_rule is the one table that picks it.
#pragma once

#include "sim/scenario/scenario.hpp"
#include "sim/training/consistency/decision.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace psim::sim {

/// A push as a rule sees it.
struct gradient_arrival {
  std::uint32_t worker = 0;    ///< who sent it
  std::uint64_t version = 0;   ///< version of the parameters it was computed on
  std::uint32_t samples = 0;   ///< rows in its batch
  std::uint32_t gradients = 1; ///< gradients it carries (local_sgd: local steps)
  bool same_epoch = true;      ///< computed on parameters of the server's current incarnation
};

/// Client sampling in the round modes: how many workers each round picks, and the run's
/// seed (the picks come from its stream "participation").
struct round_sampling {
  std::size_t participants = 0; ///< workers per round; 0 (or all of them) = every live one
  std::uint64_t seed = 0;       ///< seed of the stream "participation"
};

/// The server's rule of one consistency mode, with the per-worker bookkeeping it needs.
/// Every event gets the server's current version; the server calls on_gradient only for
/// first arrivals of the current epoch while it is up and under its update budget.
class server_rule {
public:
  /// A rule for `workers` workers, all live, under `training`.
  server_rule(const training_config& training, std::size_t workers);

  virtual ~server_rule() = default;

  /// A push arrived for the first time.
  virtual decisions on_gradient(const gradient_arrival& g, std::uint64_t version) = 0;

  /// A push arrived again (a duplicate or a resend): whether to answer its worker,
  /// who may wait for parameters whose message was lost.
  virtual decisions on_repeat(const gradient_arrival& g, std::uint64_t version) const = 0;

  /// Worker `worker` was lost: counts it out, then closes what the live workers complete.
  decisions on_worker_lost(std::uint32_t worker, std::uint64_t version);

  /// A restarted worker joined: counts it in, then answers it unless the mode says not.
  decisions on_worker_joined(std::uint32_t worker);

  /// The run starts: sends the initial parameters (to every worker by default).
  virtual decisions on_start() { return {broadcast_all{}}; }

  /// The server crashed: what it held in memory is gone.
  virtual void on_server_crash() {}

  /// The server restarted from its checkpoint: broadcasts by default.
  virtual decisions on_server_restart();

  /// True while `worker` is not known to be down.
  bool live(std::uint32_t worker) const {
    count_work();
    return live_.at(worker);
  }

  /// How many workers are live.
  std::size_t live_count() const { return live_count_; }

  /// How many gradients the round under way holds (0 in modes without rounds).
  virtual std::size_t round_size() const { return 0; }

  /// True when `worker`'s gradient is in the round under way.
  virtual bool in_round(std::uint32_t) const { return false; }

  /// Per-worker entries read or written so far: the rule's work, which a test holds
  /// constant per gradient whatever the number of workers.
  virtual std::uint64_t work() const { return work_; }

protected:
  /// What the loss of `worker` changes, once it is counted out.
  virtual decisions after_worker_lost(std::uint32_t worker, std::uint64_t version) = 0;

  /// What a joined worker gets, once it is counted in: the parameters by default.
  virtual decisions after_worker_joined(std::uint32_t worker) { return {reply_to{worker}}; }

  /// How many gradients a round waits for when it wants `wanted`: with
  /// on_failure = continue no more than the live workers (at least 1).
  std::size_t quorum(std::size_t wanted) const;

  /// The scheduled learning rate of the update from `version`.
  double base_rate(std::uint64_t version) const;

  /// True when workers push model deltas of local steps (local_sgd, or local_steps > 1).
  bool pushes_deltas() const;

  /// The rate of an update from `version`: the scheduled rate for gradients,
  /// server_learning_rate for model deltas (which carry the workers' rates).
  double update_rate(std::uint64_t version) const;

  /// The staleness weighting's factor for a gradient of staleness `tau`.
  double staleness_weight(std::uint64_t tau) const;

  /// Applies `g` on its own, or discards it when staleness exceeds drop_stale.
  decision apply_or_discard(const gradient_arrival& g, std::uint64_t version) const;

  /// The training settings.
  const training_config& training() const { return training_; }

  /// The number of workers, live or not.
  std::size_t workers() const { return live_.size(); }

  /// Counts `entries` per-worker entries touched (see work()).
  void count_work(std::uint64_t entries = 1) const { work_ += entries; }

private:
  mutable std::uint64_t work_ = 0; // see work()
  training_config training_;
  std::vector<bool> live_;     // per worker: not known to be down
  std::size_t live_count_ = 0; // how many entries of live_ are true
};

/// The server rule of `training.mode` for `workers` workers, round modes sampling per
/// `sampling`; null for allreduce, which has no server.
std::unique_ptr<server_rule> make_server_rule(const training_config& training,
                                              std::size_t workers,
                                              const round_sampling& sampling = {});

} // namespace psim::sim
