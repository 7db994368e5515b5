// A worker: computes gradients of the model on mini-batches of its own shard, on the
// parameters the server last sent it (or, in allreduce, on its own replica), and
// pushes them through its link.
#pragma once

#include "actors/recorder/event_trace.hpp"
#include "actors/messages.hpp"
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/random/random.hpp"
#include "sim/scenario/scenario.hpp"

#include <caf/all.hpp>

#include <map>
#include <set>
#include <memory>
#include <optional>
#include <vector>

namespace psim::actors {

/// What a worker holds between messages.
struct worker_state {
  std::shared_ptr<const sim::scenario> scenario;    ///< the run's scenario
  std::shared_ptr<const sim::prepared_data> data;   ///< the shared data set
  std::unique_ptr<sim::model> model;                ///< own model (scratch buffers)
  std::uint32_t id = 0;                             ///< worker number
  std::uint32_t incarnation = 0;                    ///< restarts before this one
  std::map<std::uint32_t, double> slowdowns;        ///< factors in force, by their fault
  std::optional<gradient_msg> unanswered;           ///< last push, kept for resending
  std::uint64_t answered = 0;                       ///< pushes answered by parameters
  sim::shard shard;                                 ///< this worker's rows
  std::size_t batch_rows = 0;                       ///< rows per batch
  std::vector<std::size_t> batch_order;             ///< batch numbers of this epoch
  std::size_t next_batch = 0;                       ///< position in batch_order
  std::optional<sim::random_stream> compute_rng;    ///< stream "compute/worker-<id>"
  std::optional<sim::random_stream> batch_rng;      ///< stream "batches/worker-<id>"
  const sim::distribution* compute_time = nullptr;  ///< its compute-time distribution
  double slowdown = 1;                              ///< factor on its compute times (override)
  sim::vector theta;                                ///< parameters it computes on
  std::uint64_t version = 0;                        ///< version of `theta` (shard 0's)
  std::vector<std::uint64_t> versions;              ///< version of each shard's range
  std::vector<std::uint32_t> epochs;                ///< server incarnation of each range
  std::vector<bool> fresh;                          ///< range renewed since the last start
  std::vector<std::pair<std::uint64_t, std::uint32_t>> computed_on; ///< per shard: version
                                                    ///< and epoch of the computation
  std::vector<std::pair<Eigen::Index, Eigen::Index>> ranges; ///< shard s: (begin, size)
  std::vector<caf::actor> uplinks;                  ///< link to each server shard
  caf::actor uplink;                                ///< allreduce: link to the successor
  gradient_msg pending;                             ///< the gradient being computed
  std::uint64_t computation = 0;                    ///< number of the current computation
  std::uint64_t pushes = 0;                         ///< messages pushed (their seq numbers)
  caf::actor_clock::time_point start{};             ///< time 0 of the run
  bool computing = false;                           ///< a computation is under way
  bool started = false;                             ///< it has computed at least once
  bool stopped = false;                             ///< the run has ended
  event_trace trace;                                ///< events.csv
  worker_report report;                             ///< counters so far
  // local_sgd: the block of local steps under way
  sim::vector block_start;                          ///< parameters at the block's start
  std::uint32_t block_steps = 0;                    ///< local steps done in the block
  std::uint64_t block_samples = 0;                  ///< rows used in the block
  // allreduce: the ring under way
  sim::vector ring_sum;                             ///< [sum n_w g_w, sum n_w]
  bool ring_ready = false;                          ///< own gradient is in ring_sum
  std::uint32_t ring_next = 0;                      ///< next ring step to take
  std::map<std::pair<std::uint64_t, std::uint32_t>, chunk_msg> early; ///< chunks ahead
  server_report replica;                            ///< worker 0: the replica's record
  double staleness_pending = 0;                     ///< worker 0: since the last point

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "worker";
};

/// The behavior of worker `config.id`.
caf::behavior worker(caf::stateful_actor<worker_state>* self, actor_config config);

/// A stateful worker actor.
using worker_actor = caf::stateful_actor<worker_state>;

/// Starts a computation on `theta`: the gradient now, its release after a sample.
void start_computation(worker_actor* self);

/// allreduce: the own gradient is ready; joins the ring for this round.
void ring_begin(worker_actor* self);

/// allreduce: a chunk arrived from the predecessor.
void ring_receive(worker_actor* self, const chunk_msg& chunk);

/// allreduce: starts round 0 on the initial parameters, identical on every worker.
void ring_start(worker_actor* self);

} // namespace psim::actors
