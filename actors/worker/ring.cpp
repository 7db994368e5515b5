// allreduce: the workers sum [n_w g_w, n_w] around a ring of links (reduce-scatter,
// then all-gather, 2(N-1) steps of one chunk each); every worker then applies the
// same batch-weighted average, so all replicas stay identical. Worker 0 keeps the
// replica's record for the trace.
#include "actors/runtime/clock.hpp"
#include "actors/link/network_link.hpp"
#include "actors/worker/worker.hpp"
#include "sim/training/ring_plan.hpp"

namespace psim::actors {

namespace {

std::size_t ring_size(const worker_state& st) {
  return st.scenario->cluster.workers;
}

void send_chunk(worker_actor* self, std::uint32_t step, std::size_t chunk) {
  auto& st = self->state;
  sim::ring_plan plan{ring_size(st), static_cast<std::size_t>(st.ring_sum.size())};
  auto begin = st.ring_sum.data() + plan.begin(chunk);
  chunk_msg msg{st.version, step, std::vector<double>(begin, st.ring_sum.data() + plan.end(chunk))};
  st.trace.emit(self, event_kind::send, worker_name((st.id + 1) % ring_size(st)),
                static_cast<std::int64_t>(st.version), -1, message_bytes(msg.values.size()));
  self->send(st.uplink, std::move(msg));
}

// Worker 0: a metrics point of the replica for the recorder.
void send_point(worker_actor* self) {
  auto& st = self->state;
  auto& r = st.replica;
  std::uint64_t applied = 0;
  for (auto count : r.staleness_histogram)
    applied += count;
  metrics_point point{0, st.version, r.applied_at, applied, 0, static_cast<std::uint64_t>(st.staleness_pending),
                      std::vector<double>(st.theta.data(), st.theta.data() + st.theta.size())};
  st.staleness_pending = 0;
  self->send(st.trace.recorder, std::move(point));
}

// The ring is complete: every worker applies the same average.
void complete_round(worker_actor* self) {
  auto& st = self->state;
  const auto& scn = *st.scenario;
  auto params = st.theta.size();
  auto rate = scn.training.schedule.at(scn.training.learning_rate, st.version);
  st.theta -= rate / st.ring_sum[params] * st.ring_sum.head(params);
  ++st.version;
  ++st.report.applied;
  st.ring_ready = false;
  st.trace.emit(self, event_kind::apply, {}, static_cast<std::int64_t>(st.version), 0);
  auto budget = scn.run.stop.updates;
  bool halted = budget && st.version >= *budget;
  if (st.id == 0) {
    auto& hist = st.replica.staleness_histogram;
    hist.resize(1, 0);
    hist[0] += ring_size(st);
    st.staleness_pending += static_cast<double>(ring_size(st));
    st.replica.applied_at = seconds_between(st.start, self->clock().now());
    if (st.version % scn.run.eval_every == 0 || halted)
      send_point(self);
  }
  if (halted)
    self->send(st.trace.recorder, halted_atom::value, st.id);
  else
    start_computation(self);
}

void take_step(worker_actor* self, std::uint32_t step, const std::vector<double>& values) {
  auto& st = self->state;
  sim::ring_plan plan{ring_size(st), static_cast<std::size_t>(st.ring_sum.size())};
  auto chunk = plan.received_chunk(st.id, step);
  auto begin = static_cast<Eigen::Index>(plan.begin(chunk));
  auto length = static_cast<Eigen::Index>(plan.end(chunk)) - begin;
  Eigen::Map<const sim::vector> received{values.data(), length};
  if (plan.adds(step))
    st.ring_sum.segment(begin, length) += received;
  else
    st.ring_sum.segment(begin, length) = received;
  st.ring_next = step + 1;
  if (st.ring_next < plan.steps())
    send_chunk(self, st.ring_next, chunk);
  else
    complete_round(self);
}

// Takes every step whose chunk already arrived, in order.
void drain(worker_actor* self) {
  auto& st = self->state;
  for (;;) {
    if (!st.ring_ready)
      return;
    auto it = st.early.find({st.version, st.ring_next});
    if (it == st.early.end())
      return;
    auto chunk = std::move(it->second);
    st.early.erase(it);
    take_step(self, chunk.step, chunk.values);
  }
}

} // namespace

void ring_start(worker_actor* self) {
  auto& st = self->state;
  sim::random_stream init{st.scenario->seed, "init"};
  st.theta = st.model->initial_parameters(init);
  st.version = 0;
  st.started = true;
  st.ring_sum = sim::vector::Zero(st.theta.size() + 1);
  if (st.id == 0)
    send_point(self);
  start_computation(self);
}

void ring_begin(worker_actor* self) {
  auto& st = self->state;
  auto params = st.theta.size();
  auto samples = static_cast<double>(st.pending.samples);
  st.ring_sum.head(params) = samples * Eigen::Map<const sim::vector>{st.pending.values.data(), params};
  st.ring_sum[params] = samples;
  st.ring_ready = true;
  st.ring_next = 0;
  if (ring_size(st) == 1)
    return complete_round(self);
  sim::ring_plan plan{ring_size(st), static_cast<std::size_t>(st.ring_sum.size())};
  send_chunk(self, 0, plan.first_chunk(st.id));
  drain(self);
}

void ring_receive(worker_actor* self, const chunk_msg& chunk) {
  auto& st = self->state;
  st.trace.emit(self, event_kind::deliver, worker_name((st.id + ring_size(st) - 1) % ring_size(st)),
                static_cast<std::int64_t>(chunk.round));
  ++st.report.received;
  st.early.emplace(std::make_pair(chunk.round, chunk.step), chunk);
  drain(self);
}

} // namespace psim::actors
