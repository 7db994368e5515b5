// The parameter server: holds one shard of the parameters and its version, and carries
// out what its mode's rule (sim/training/consistency) decides: dedup, the time an
// update takes, checkpoints, metrics points and the messages to the workers.
#pragma once

#include "actors/messages.hpp"
#include "actors/recorder/event_trace.hpp"
#include "actors/runtime/model_clock.hpp"
#include "actors/runtime/run_control.hpp"
#include "actors/server/residual_source.hpp"
#include "actors/server/server_parameters.hpp"
#include "sim/data/dataset.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/training/consistency/rule.hpp"
#include "sim/training/optimizer.hpp"
#include "sim/training/sequence_filter.hpp"
#include "sim/training/version_history.hpp"

#include <caf/all.hpp>

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <vector>

namespace psim::actors {

/// The server's protocol. The behavior is checked against it at compile time; the actor
/// itself stays dynamically typed, since CAF 0.17 lets a typed actor send() only to
/// typed actors and the server's peers (links, recorder) are not.
using server_actor_handle =
  caf::typed_actor<caf::reacts_to<wiring>, caf::reacts_to<start_atom, caf::actor>,
                   caf::reacts_to<join_msg>, caf::reacts_to<effect_msg>,
                   caf::reacts_to<watchdog_atom, std::uint64_t>, caf::reacts_to<gradient_msg>,
                   caf::reacts_to<gradient_msg, hop_stamp>,
                   caf::reacts_to<stop_atom, caf::actor>>;

/// The parts of the scenario a server reads, taken once when it is spawned.
struct server_settings {
  sim::training_config training;     ///< mode, rates, momentum, on_failure
  std::size_t workers = 0;           ///< cluster.workers
  double apply_time = 0;             ///< cluster.server_apply_time, seconds
  std::uint64_t checkpoint_every = 0; ///< checkpoint.every
  sim::run_config run;               ///< stop.updates, eval_every, stall_timeout
  bool trace_events = false;         ///< trace.events
  std::uint64_t seed = 0;            ///< the run's seed (injected staleness's streams)
  sim::round_sampling sampling;      ///< cluster.participants and the seed of their draw
  bool default_watchdog = false;     ///< run.stall_timeout is the derived default
  double wire_per_double = 0;        ///< model.wire_bytes per parameter (0: the real size)
};

/// What a server holds between messages.
struct parameter_server_state {
  server_settings settings;                       ///< what it reads of the scenario
  std::unique_ptr<sim::server_rule> rule;         ///< its mode's rule
  std::unique_ptr<sim::optimizer> optimizer;      ///< turns directions into steps
  std::uint32_t shard = 0;                        ///< which key range it holds
  server_parameters theta;                        ///< its range of the parameters, in
                                                  ///< the message that sends them
  std::uint64_t version = 0;                      ///< updates applied
  std::vector<caf::actor> downlinks;              ///< link to each worker
  std::vector<std::map<std::uint32_t, sim::sequence_filter>> seen; ///< per worker and
                                                  ///< incarnation: pushes received
  std::vector<caf::actor_addr> workers;           ///< current actor of each worker
  std::unordered_map<caf::actor_addr, std::uint32_t> worker_of; ///< the worker of
                                                  ///< each current actor (nodes apart)
  std::multiset<std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>> deferred;
                                                  ///< pushes waiting for the update
  std::uint32_t epoch = 0;                        ///< incarnation (server crashes)
  bool down = false;                              ///< crashed, not restarted yet
  sim::vector checkpoint;                         ///< parameters of the last checkpoint
  std::unique_ptr<sim::optimizer> checkpoint_optimizer; ///< the optimizer's state then
  std::uint64_t checkpoint_version = 0;           ///< its version
  std::uint64_t applies = 0;                      ///< updates ever applied (watchdog)
  bool watchdog_armed = false;                    ///< a watchdog message is on its way
  caf::actor_clock::time_point progress_at{};     ///< when `applies` last grew (watchdog)
  caf::actor recorder;                            ///< where metrics points go
  caf::actor_clock::time_point start{};           ///< time 0 of the run
  caf::actor_clock::time_point busy_until{};      ///< end of the update being applied
  double applied_at = 0;                          ///< seconds: when `version` was applied
  run_control* progress = nullptr;                ///< shard 0 in the run's process: where
                                                  ///< it notes each version (progress line)
  std::uint64_t last_point = 0;                   ///< version of the last metrics point
  bool halted = false;                            ///< the update budget is spent
  bool stopped = false;                           ///< the run has ended
  sim::vector round_sum;                          ///< the round's sum of weighted gradients
  residual_source residuals;                      ///< expands gradients in residual form
  double round_weight = 0;                        ///< the round's samples
  std::size_t round_count = 0;                    ///< gradients in the round
  std::optional<sim::version_history> history;    ///< versions kept for injected staleness
  double staleness_sum = 0;                       ///< since the last metrics point
  std::uint64_t staleness_count = 0;              ///< since the last metrics point
  event_trace trace;                              ///< events.csv
  server_report report;                           ///< counters so far
  model_clock timing;                             ///< model time; real clock: deadlines, lag

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "parameter_server";
};

/// A stateful parameter-server actor.
using server_actor = caf::stateful_actor<parameter_server_state>;

/// The behavior of server shard `config.id`, which starts from
/// `config.initial_parameters` (its range of the initial parameters).
caf::behavior parameter_server(server_actor* self, actor_config config);

/// The settings a server reads from `scn`.
server_settings server_settings_of(const sim::scenario& scn);

/// Carries out `todo` in order; `g` is the gradient at hand (null for other events).
void carry_out(server_actor* self, const sim::decisions& todo, const gradient_msg* g);

/// Sends a metrics point with the current parameters to the recorder.
void send_point(server_actor* self);

/// Notes progress for the stall watchdog (run.stall_timeout); sends its one message
/// when none is on its way.
void arm_watchdog(server_actor* self);

} // namespace psim::actors
