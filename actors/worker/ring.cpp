// allreduce on the worker actor: carries the ring member's actions (sim/training/
// worker/ring.hpp) over the links: chunks to the successor, and at the round's end the
// same average step on every replica. Worker 0 keeps the replica's record for the trace.
#include "actors/runtime/clock.hpp"
#include "actors/runtime/run_control.hpp"
#include "actors/runtime/send_later.hpp"
#include "actors/link/network_link.hpp"
#include "actors/worker/worker.hpp"

namespace psim::actors {

namespace {

void send_chunk(worker_self self, std::uint32_t step, std::size_t chunk) {
  auto& st = self->state;
  chunk_msg msg{st.version, step, st.ring->chunk(chunk), stamp_of(st.timing.now)};
  st.trace.emit_to(self, event_kind::send, sim::actor_id::worker(st.ring->successor()),
                static_cast<std::int64_t>(st.version), -1,
                wire_message_bytes(msg.values.size(), st.settings->wire_per_ring_double));
  send_to(self, st.shards[0].uplink, std::move(msg)); // the link to the successor
}

// Worker 0: a metrics point of the replica for the recorder.
void send_point(worker_self self) {
  auto& st = self->state;
  auto& r = st.replica->report;
  std::uint64_t applied = 0;
  for (auto count : r.staleness_histogram)
    applied += count;
  metrics_point point{0, st.version, r.applied_at, applied, 0, st.replica->points_pending,
                      std::vector<double>(st.theta.data(), st.theta.data() + st.theta.size())};
  st.replica->points_pending = 0;
  send_to(self, st.trace.recorder, std::move(point));
}

// The ring is complete: every worker applies the same average.
void complete_round(worker_self self) {
  auto& st = self->state;
  const auto& set = *st.settings;
  st.ring->apply(st.theta, set.schedule.at(set.learning_rate, st.version));
  ++st.version;
  ++st.counts.applied;
  st.trace.emit(self, event_kind::apply, {}, static_cast<std::int64_t>(st.version), 0);
  bool halted = set.update_budget && st.version >= *set.update_budget;
  if (st.replica) {
    auto& hist = st.replica->report.staleness_histogram;
    hist.resize(1, 0);
    hist[0] += set.workers;
    st.replica->points_pending += set.workers;
    st.replica->report.applied_at = seconds_between(st.start, self->clock().now());
    if (const auto* clocks = clock_config_of(self->system()); clocks && clocks->control)
      clocks->control->note_version(st.version); // once a round: no need to keep it
    if (st.version % set.eval_every == 0 || halted)
      send_point(self);
  }
  if (halted)
    send_to(self, st.trace.recorder, halted_atom::value, st.id);
  else
    start_computation(self);
}

// Carries out `action` and every step after it whose chunk already arrived, in order.
void carry_out(worker_self self, sim::ring_action action) {
  auto& st = self->state;
  for (;;) {
    switch (action.what) {
      case sim::ring_action::kind::wait:
        return;
      case sim::ring_action::kind::complete:
        return complete_round(self);
      case sim::ring_action::kind::send:
        send_chunk(self, action.step, action.chunk);
        break;
    }
    action = st.ring->advance(st.version);
  }
}

} // namespace

void ring_start(worker_self self) {
  auto& st = self->state;
  sim::random_stream init{st.settings->seed, "init"};
  st.theta = st.model().initial_parameters(init);
  st.version = 0;
  st.started = true;
  if (st.replica)
    send_point(self);
  start_computation(self);
}

void ring_begin(worker_self self) {
  auto& st = self->state;
  const auto& pending = pending_of(st);
  Eigen::Map<const sim::vector> gradient{pending.values.data(), st.parameters};
  carry_out(self, st.ring->join(gradient, pending.samples));
}

void ring_receive(worker_self self, const chunk_msg& chunk) {
  auto& st = self->state;
  st.trace.emit_to(self, event_kind::deliver, sim::actor_id::worker(st.ring->predecessor()),
                static_cast<std::int64_t>(chunk.round));
  ++st.counts.received;
  st.ring->arrive(chunk.round, chunk.step, chunk.values);
  carry_out(self, st.ring->advance(st.version));
}

} // namespace psim::actors
