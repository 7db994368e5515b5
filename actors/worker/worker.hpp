// A worker: computes gradients of the model on mini-batches of its own shard, on the
// parameters the servers last sent it (or, in allreduce, on its own replica), and
// carries out its mode's worker rule (sim/training/worker/): push, local steps or ring.
#pragma once

#include "actors/recorder/event_trace.hpp"
#include "actors/messages.hpp"
#include "actors/runtime/model_clock.hpp"
#include "actors/runtime/message_pool.hpp"
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/random/random.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/training/buffers.hpp"
#include "sim/training/sampling/minibatches.hpp"
#include "sim/training/worker/local_steps.hpp"
#include "sim/training/worker/ring.hpp"
#include "sim/training/worker/worker_rule.hpp"

#include <caf/all.hpp>

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace psim::actors {

/// A worker's protocol: wiring, start and stop from the runtime, parameters from its
/// servers, ring chunks from its predecessor, faults, and its own two timers.
using worker_actor = caf::typed_actor<
  caf::reacts_to<wiring>,
  caf::reacts_to<start_atom, caf::actor>,
  caf::reacts_to<stop_atom, caf::actor>,
  caf::reacts_to<params_msg>,
  caf::reacts_to<params_msg, hop_stamp>,
  caf::reacts_to<chunk_msg>,
  caf::reacts_to<chunk_msg, hop_stamp>,
  caf::reacts_to<effect_msg>,
  caf::reacts_to<resend_atom, std::uint64_t>,
  caf::reacts_to<computed_atom, std::uint64_t>>;

/// What every worker of a run reads alike from the scenario: made once per scenario and
/// shared by its workers (a million copies would cost some 200 MB).
struct worker_settings {
  std::shared_ptr<const sim::scenario> scenario;   ///< keeps the distributions alive
  std::shared_ptr<const sim::prepared_data> data;  ///< the shared data set
  std::unique_ptr<const sim::worker_rule> rule;    ///< the mode's worker rule
  std::uint64_t seed = 0;                     ///< seed of its random streams
  std::size_t workers = 1;                    ///< workers in the run (the ring's size)
  std::size_t servers = 1;                    ///< server shards (its key ranges)
  std::size_t batch_size = 0;                 ///< rows per batch; 0 = the whole shard
  sim::sampling_kind sampling = sim::sampling_kind::reshuffle; ///< how batches are drawn
  double learning_rate = 0;                   ///< base rate of the steps it takes itself
  sim::lr_schedule schedule;                  ///< how that rate changes with the version
  std::optional<double> timeout;              ///< network.timeout: resend after this long
  std::optional<std::uint64_t> update_budget; ///< allreduce: run.stop.updates
  std::uint64_t eval_every = 10;              ///< allreduce worker 0: a point every N versions
  bool trace_events = false;                  ///< trace.events
  bool real_clock = false;                    ///< run.clock is the real clock
  bool folds_compute_end = false;             ///< a push leaves when its computation starts
  double wire_per_double = 0;                 ///< model.wire_bytes per parameter (0: real)
  double wire_per_ring_double = 0;            ///< the same per value of the ring's vector
  std::string node;                           ///< where its workers run ("local" or host:port)
};

/// Whether a computation's end may travel with its push, sent as the computation starts
/// and reaching the links when it ends (4 messages per async update instead of 5): only
/// where nothing can reach the worker while it computes and nothing could take the push
/// back. Async, ssp or kasync; no fault, availability, resend timer, trace or deployment.
bool folds_compute_end(const sim::scenario& scn, const sim::worker_rule& rule);

/// The settings the workers of `scn` on `node` ("" = local) share: made on the first call
/// for them, then the same object for as long as a worker holds it.
std::shared_ptr<const worker_settings> shared_settings(std::shared_ptr<const sim::scenario> scn,
                                                       const std::string& node);

/// A worker's counters; its worker_report is made of them when it reports.
struct worker_counters {
  std::uint64_t computed = 0;  ///< gradient computations started
  std::uint64_t pushed = 0;    ///< gradients sent to the server
  std::uint64_t abandoned = 0; ///< computations given up before they were pushed
  std::uint64_t applied = 0;   ///< allreduce: gradients applied to its replica
  std::uint64_t received = 0;  ///< parameter messages received
  std::uint64_t crashes = 0;   ///< times this worker crashed
  std::uint64_t resends = 0;   ///< pushes sent again after network.timeout
  std::uint64_t skew_sum = 0;  ///< sum over computations of the spread of shard versions
  std::uint64_t skew_max = 0;  ///< largest spread of shard versions it computed on
};

/// The model of `scn` on the calling thread, made on the first call: the workers a thread
/// runs one after the other share it and its scratch buffers (a model is stateless
/// between calls; only its scratch buffers change).
const sim::model& thread_model(const sim::scenario& scn, std::size_t features);

/// What a worker knows of one server shard's key range (allreduce: of its successor).
struct shard_view {
  std::uint64_t version = 0;          ///< version of the range it holds
  std::uint64_t computed_version = 0; ///< the version its computation read
  std::uint32_t epoch = 0;            ///< server incarnation of the range it holds
  std::uint32_t computed_epoch = 0;   ///< the epoch its computation read
  Eigen::Index begin = 0;             ///< first parameter of the range
  Eigen::Index size = 0;              ///< parameters in the range
  caf::actor uplink;                  ///< the link it pushes the range through
  bool fresh = false;                 ///< renewed since the last computation started
};

/// A worker's shard views: the first held in place (one server, the common case, costs
/// no allocation), further ones in a vector.
class shard_views {
public:
  /// Makes `n` default views.
  void resize(std::size_t n) {
    size_ = n;
    rest_.resize(n > 1 ? n - 1 : 0);
  }

  /// The number of views.
  std::size_t size() const { return size_; }

  /// View `s`.
  shard_view& operator[](std::size_t s) { return s == 0 ? first_ : rest_[s - 1]; }

  /// View `s`, to read.
  const shard_view& operator[](std::size_t s) const { return s == 0 ? first_ : rest_[s - 1]; }

private:
  shard_view first_;
  std::vector<shard_view> rest_;
  std::size_t size_ = 0;
};

/// allreduce worker 0: the replica's record for the trace and the metrics.
struct replica_record {
  server_report report;              ///< the replica's record, sent when the run stops
  std::uint64_t points_pending = 0;  ///< applied since the last metrics point
};

/// A big model's gradient computed in two halves (sim::model::residual_size): the
/// residual taken on the received parameters when the computation starts, then pushed
/// as it is (worker_state::pushes_residuals) or the gradient written from it when the
/// computation ends, so that the gradients of computations under way are not held (at
/// d = 10^5, 16 workers would hold 13 MB of them, out of cache).
struct deferred_gradient {
  gradient_msg header;             ///< the message's fields but the values, set at the start
  sim::vector residual;            ///< the model's residual at the parameters it read
  std::optional<sim::batch> batch; ///< the batch it was taken on; empty when none waits
  std::uint64_t row = 0;           ///< that batch's one training row
};

/// What a worker holds between messages. Read-only settings are shared; what only one
/// mode needs (local_sgd's block, allreduce's ring and record) exists only in that mode.
struct worker_state {
  std::shared_ptr<const worker_settings> settings;  ///< shared with the other workers
  const sim::distribution* compute_time = nullptr;  ///< its compute-time distribution
  double slowdown = 1;                              ///< factor on its compute times (override)
  std::uint32_t id = 0;                             ///< worker number
  std::uint32_t incarnation = 0;                    ///< restarts before this one
  std::vector<std::pair<std::uint32_t, double>> slowdowns; ///< factors in force, by their
                                                    ///< fault, in fault order
  caf::message unanswered;                          ///< last push (a gradient_msg), kept
                                                    ///< for resending; empty when none
  std::uint64_t answered = 0;                       ///< pushes answered by parameters
  std::optional<sim::minibatches> batches;          ///< the mini-batches of its shard
  std::optional<sim::random_stream> compute_rng;    ///< stream "compute/worker-<id>"
  sim::vector theta;                                ///< parameters it computes on
                                                    ///< (empty when it reads them in place)
  Eigen::Index parameters = 0;                      ///< the model's parameter count
  bool in_place = false;                            ///< reads received parameters in place
  bool pushes_residuals = false;                    ///< pushes a deferred gradient as its
                                                    ///< residual (in place, one process)
  bool pushed_early = false;                        ///< the last computation's push left
                                                    ///< as it started (folds_compute_end)
  caf::message held;                                ///< in place: the params_msg the next
                                                    ///< computation reads
  std::uint64_t version = 0;                        ///< version of `theta` (shard 0's)
  shard_views shards;                               ///< per server shard (allreduce: one,
                                                    ///< its link to the successor)
  caf::message pending;                             ///< the gradient being computed (a
                                                    ///< gradient_msg only it holds); empty
                                                    ///< once pushed
  message_pool<gradient_msg> sent;                  ///< pushed messages, reused once the
                                                    ///< server is done with them
  std::uint64_t computation = 0;                    ///< number of the current computation
  std::uint64_t pushes = 0;                         ///< messages pushed (their seq numbers)
  caf::actor_clock::time_point start{};             ///< time 0 of the run
  bool computing = false;                           ///< a computation is under way
  bool started = false;                             ///< it has computed at least once
  bool stopped = false;                             ///< the run has ended
  event_trace trace;                                ///< events.csv
  worker_counters counts;                           ///< counters so far
  std::unique_ptr<sim::local_block> block;          ///< local_sgd: the block under way
  std::unique_ptr<sim::ring_member> ring;           ///< allreduce: its place in the ring
  std::unique_ptr<replica_record> replica;          ///< allreduce worker 0: the record
  std::unique_ptr<deferred_gradient> deferred;      ///< big models: the gradient until
                                                    ///< it is written (made at first use)
  model_clock timing;                               ///< model time; real clock: deadlines, lag
  clock_point compute_due{};                        ///< model time the computation ends

  /// Whether its model is big (sim::big_model_from).
  bool big_model() const { return parameters >= static_cast<Eigen::Index>(sim::big_model_from); }

  /// The mode's worker rule.
  const sim::worker_rule& rule() const { return *settings->rule; }

  /// The model it computes with: the one of this thread (see thread_model).
  const sim::model& model() const;

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "worker";
};

/// The gradient being computed, to write (before it is pushed, nobody else holds it).
inline gradient_msg& pending_of(worker_state& st) {
  return st.pending.get_mutable_as<gradient_msg>(0);
}

/// The gradient being computed, to read.
inline const gradient_msg& pending_of(const worker_state& st) {
  return st.pending.get_as<gradient_msg>(0);
}

/// A worker actor seen from inside its handlers.
using worker_self = worker_actor::stateful_pointer<worker_state>;

/// Sends `xs...` to a dynamically typed actor (a link, the recorder) with the worker
/// as sender: CAF 0.17.6's member anon_send does exactly what send does, minus the
/// static check that keeps typed actors from sending to untyped ones.
template <class... Ts>
void send_to(worker_self self, const caf::actor& dest, Ts&&... xs) {
  self->anon_send(dest, std::forward<Ts>(xs)...);
}

/// The behavior of worker `config.id`.
worker_actor::behavior_type worker(worker_self self, actor_config config);

/// Starts a computation on `theta`: the gradient now, its release after a sample.
void start_computation(worker_self self);

/// Pushes the pending gradient (a gradient_msg nobody else holds yet) to the servers
/// (each shard its range), leaving `pending` empty, with a resend timer if the network
/// has a timeout; with `early`, as its computation starts, to reach the links that long
/// from now, when it ends.
void push_pending(worker_self self, std::optional<caf::timespan> early = {});

/// Where nothing can reach a worker while it computes (folds_compute_end): ends the
/// computation just started at once, its push reaching the link `after` from now, when
/// the computation ends in model time. One message per update fewer.
void push_when_computed(worker_self self, caf::timespan after);

/// True when a push that push_when_computed sent is still on its way to the link: the
/// computation it ends is, in model time, under way.
bool push_before_link(const worker_state& st, caf::actor_clock::time_point now);

/// Sends the last push again if no parameters came since it left.
void on_resend(worker_self self, std::uint64_t seq);

/// The resend timer's sequence number that means "no parameters yet: ask again".
inline constexpr std::uint64_t pull_seq = 0;

/// Arms the pull timer (network.timeout) of a worker that has no parameters yet.
void arm_pull(worker_self self);

/// A worker still without parameters asks each server shard it misses again, by
/// repeating its join; the server answers with its current parameters.
void on_pull(worker_self self);

/// New parameters from a server shard.
void on_params(worker_self self, const params_msg& p);

/// The gradient messages of the big models' workers on the calling thread, shared so
/// that a gradient is written into the buffer the server let go of last, not into one
/// per worker that has long left the cache.
message_pool<gradient_msg>& thread_gradients();

/// Where a worker takes its gradient messages and keeps them once pushed: the thread's
/// for a big model's dense gradient (the one the server let go of last is likely in
/// cache), else its own.
message_pool<gradient_msg>& gradient_pool(worker_state& st);

/// Lets go of the calling thread's gradient messages: the virtual runtime's, when a run
/// ends, since the process (a Python session, a sweep) may run a smaller model next.
void release_thread_gradients();

/// The gradient message of the computation under way (its values perhaps not written).
const gradient_msg& computing(const worker_state& st);

/// Writes the gradient of the computation under way into the pending message, if it was
/// deferred: before anything reads the gradient.
void write_gradient(worker_state& st);

/// A computation finished: carries out the worker rule (push, local step, ring).
void finish_computation(worker_self self);

/// allreduce: the own gradient is ready; joins the ring for this round.
void ring_begin(worker_self self);

/// allreduce: a chunk arrived from the predecessor.
void ring_receive(worker_self self, const chunk_msg& chunk);

/// allreduce: starts round 0 on the initial parameters, identical on every worker.
void ring_start(worker_self self);

} // namespace psim::actors
