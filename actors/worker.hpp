// A worker: computes gradients of the model on mini-batches of its own shard, on the
// parameters the server last sent it, and pushes them through its uplink.
#pragma once

#include "actors/messages.hpp"
#include "sim/data.hpp"
#include "sim/model.hpp"
#include "sim/random.hpp"
#include "sim/scenario.hpp"

#include <caf/all.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace psim::actors {

/// What a worker holds between messages.
struct worker_state {
  std::shared_ptr<const sim::scenario> scenario;    ///< the run's scenario
  std::shared_ptr<const sim::prepared_data> data;   ///< the shared data set
  std::unique_ptr<sim::model> model;                ///< own model (scratch buffers)
  sim::shard shard;                                 ///< this worker's rows
  std::size_t batch_rows = 0;                       ///< rows per batch
  std::vector<std::size_t> batch_order;             ///< batch numbers of this epoch
  std::size_t next_batch = 0;                       ///< position in batch_order
  std::optional<sim::random_stream> compute_rng;    ///< stream "compute/worker-<id>"
  std::optional<sim::random_stream> batch_rng;      ///< stream "batches/worker-<id>"
  sim::vector theta;                                ///< parameters it computes on
  std::uint64_t version = 0;                        ///< version of `theta`
  std::optional<params_msg> newer;                  ///< parameters that came while busy
  caf::actor uplink;                                ///< link to the server
  gradient_msg pending;                             ///< the gradient being computed
  bool computing = false;                           ///< a computation is under way
  bool started = false;                             ///< it has computed at least once
  bool stopped = false;                             ///< the run has ended
  worker_report report;                             ///< counters so far

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "worker";
};

/// The behavior of worker `config.id`.
caf::behavior worker(caf::stateful_actor<worker_state>* self, actor_config config);

} // namespace psim::actors
