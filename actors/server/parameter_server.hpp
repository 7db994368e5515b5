// The parameter server: holds the parameters and their version, applies gradients as
// the training mode says (DESIGN §3) and sends parameters back to the workers.
#pragma once

#include "actors/recorder/event_trace.hpp"
#include "actors/messages.hpp"
#include "sim/data/dataset.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/training/sequence_filter.hpp"

#include <caf/all.hpp>

#include <map>
#include <memory>
#include <set>
#include <tuple>
#include <vector>

namespace psim::actors {

/// A gradient taken into the current round (sync, ksync, local_sgd, kasync).
struct round_member {
  std::uint32_t worker = 0;    ///< who sent it
  std::uint64_t version = 0;   ///< version it was computed on
  std::uint32_t gradients = 1; ///< gradients it carries
};

/// What a server holds between messages.
struct parameter_server_state {
  std::shared_ptr<const sim::scenario> scenario;  ///< the run's scenario
  std::uint32_t shard = 0;                        ///< which key range it holds
  sim::vector theta;                              ///< its range of the parameters
  sim::vector velocity;                           ///< momentum buffer
  std::uint64_t version = 0;                      ///< updates applied
  std::vector<caf::actor> downlinks;              ///< link to each worker
  std::vector<std::map<std::uint32_t, sim::sequence_filter>> seen; ///< per worker and
                                                  ///< incarnation: pushes received
  std::vector<bool> live;                         ///< workers not known to be down
  std::vector<caf::actor_addr> workers;           ///< current actor of each worker
  std::multiset<std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>> deferred;
                                                  ///< pushes waiting for the update
  std::uint32_t epoch = 0;                        ///< incarnation (server crashes)
  bool down = false;                              ///< crashed, not restarted yet
  sim::vector checkpoint;                         ///< parameters of the last checkpoint
  std::uint64_t checkpoint_version = 0;           ///< its version
  std::uint64_t applies = 0;                      ///< updates ever applied (watchdog)
  caf::actor recorder;                            ///< where metrics points go
  caf::actor_clock::time_point start{};           ///< time 0 of the run
  caf::actor_clock::time_point busy_until{};      ///< end of the update being applied
  double applied_at = 0;                          ///< seconds: when `version` was applied
  std::uint64_t last_point = 0;                   ///< version of the last metrics point
  bool halted = false;                            ///< the update budget is spent
  bool stopped = false;                           ///< the run has ended
  // the round under way
  sim::vector round_sum;                          ///< sum of weighted gradients
  double round_weight = 0;                        ///< sum of the weights (samples)
  std::vector<round_member> members;              ///< gradients taken this round
  std::vector<bool> round_has;                    ///< which workers sent this round
  // ssp
  std::vector<std::uint64_t> clocks;              ///< pushes received per worker
  std::vector<bool> waiting;                      ///< held back by the staleness bound
  // metrics
  double staleness_sum = 0;                       ///< since the last metrics point
  std::uint64_t staleness_count = 0;              ///< since the last metrics point
  event_trace trace;                              ///< events.csv
  server_report report;                           ///< counters so far

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "parameter_server";
};

/// A stateful parameter-server actor.
using server_actor = caf::stateful_actor<parameter_server_state>;

/// The behavior of server shard `config.id`.
caf::behavior parameter_server(server_actor* self, actor_config config);

/// How many gradients a round waits for when it wants `wanted`: with
/// on_failure = "continue" no more than the live workers.
std::size_t quorum(const parameter_server_state& st, std::size_t wanted);

/// Closes the round under way if the live workers already make its quorum (after a
/// worker went down), and releases ssp workers the dead ones held back.
void recheck_quorum(server_actor* self);

/// Sync, ksync and local_sgd: takes a gradient into the round; applies at the quorum.
void on_round_gradient(server_actor* self, const gradient_msg& g);

/// Async and ssp: applies the gradient on arrival (or discards it as too stale).
void on_async_gradient(server_actor* self, const gradient_msg& g);

/// Kasync: takes any gradient into the round; applies the average of every K.
void on_kasync_gradient(server_actor* self, const gradient_msg& g);

/// Applies one update θ -= rate * direction (with momentum); counts the version.
void apply_update(server_actor* self, const Eigen::Ref<const sim::vector>& direction,
                  double rate);

/// Counts `gradients` applied gradients of staleness `tau` from `worker`.
void record_applied(server_actor* self, std::uint32_t worker, std::uint64_t tau,
                    std::uint32_t gradients);

/// Sends the current parameters to one worker (after the update under way).
void reply(server_actor* self, std::uint32_t worker);

/// Sends the current parameters to every worker (after the update under way).
void broadcast(server_actor* self);

} // namespace psim::actors
