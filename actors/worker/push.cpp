// The worker's exchange with its servers: parameters in (ksync may abandon the
// computation under way), gradients or local_sgd deltas out, resends after
// network.timeout. What to do with a finished computation is the worker rule's call.
#include "actors/runtime/clock.hpp"
#include "actors/runtime/hop_stamp.hpp"
#include "actors/runtime/send_later.hpp"
#include "actors/link/network_link.hpp"
#include "actors/worker/worker.hpp"
#include "sim/training/worker/steps.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace psim::actors {

namespace {

// True when `p` is newer than what the worker has of its range: a later version, or
// parameters of a server shard that restarted since.
bool newer_than(const worker_state& st, const params_msg& p) {
  const auto& view = st.shards[p.shard];
  return p.epoch > view.epoch || (p.epoch == view.epoch && p.version > view.version);
}

// Takes the range of `p` into `theta`, or holds the message to read it in place (the
// message leaves the mailbox element without a copy; `p` is not read afterwards).
void adopt(worker_self self, const params_msg& p) {
  auto& st = self->state;
  if (p.shard >= st.shards.size())
    throw std::out_of_range(worker_name(st.id) + ": parameters of an unknown shard");
  auto& view = st.shards[p.shard];
  view.version = p.version;
  view.epoch = p.epoch;
  view.fresh = true;
  st.version = st.shards[0].version;
  if (st.in_place)
    st.held = self->current_mailbox_element()->move_content_to_message();
  else
    st.theta.segment(view.begin, view.size)
      = Eigen::Map<const sim::vector>(p.values.data(), view.size);
}

bool all_fresh(const worker_state& st) {
  for (std::size_t s = 0; s < st.shards.size(); ++s)
    if (!st.shards[s].fresh)
      return false;
  return true;
}

// The rate of the steps the worker takes itself, at its current version.
double own_rate(const worker_state& st) {
  return st.settings->schedule.at(st.settings->learning_rate, st.version);
}

// The gradient just computed, as a vector.
Eigen::Map<const sim::vector> pending_gradient(const worker_state& st) {
  return {pending_of(st).values.data(), st.parameters};
}

// Sends each server shard its range of `g` (one push: the same seq everywhere); with
// `early`, to arrive that long from now.
void send_slices(worker_self self, const gradient_msg& g,
                 std::optional<caf::timespan> early = {}) {
  auto& st = self->state;
  for (std::size_t s = 0; s < st.shards.size(); ++s) {
    const auto& view = st.shards[s];
    auto first = g.values.begin() + view.begin;
    gradient_msg slice{g.worker, view.computed_version, g.samples, g.seq, g.gradients,
                       g.incarnation, view.computed_epoch,
                       std::vector<double>(first, first + view.size), g.at};
    if (early)
      typed_send_later(self, view.uplink, *early, std::move(slice));
    else
      send_to(self, view.uplink, std::move(slice));
  }
}

// local_sgd: one local step; after H of them, push the block's model delta.
void local_step(worker_self self) {
  auto& st = self->state;
  if (!st.block->step(st.theta, pending_gradient(st), own_rate(st), pending_of(st).samples)) {
    start_computation(self);
    return;
  }
  auto& delta = pending_of(st);
  delta.samples = static_cast<std::uint32_t>(st.block->samples());
  delta.gradients = st.block->steps();
  st.block->delta(st.theta, Eigen::Map<sim::vector>{delta.values.data(), st.parameters});
  push_pending(self);
  if (all_fresh(st)) {
    // Parameters came during the block (a server restarted): a new block on them.
    st.block->begin(st.theta);
    start_computation(self);
  }
}

} // namespace

void push_pending(worker_self self, std::optional<caf::timespan> early) {
  auto& st = self->state;
  auto msg = std::exchange(st.pending, caf::message{});
  auto& g = msg.get_mutable_as<gradient_msg>(0); // nobody else holds it yet: no copy
  g.seq = ++st.pushes;
  g.incarnation = st.incarnation;
  g.at = stamp_of(early ? st.compute_due : st.timing.now); // when it leaves
  st.counts.pushed += g.gradients;
  if (auto timeout = st.settings->timeout) {
    st.unanswered = msg; // shared, not copied
    send_later(self, self, to_timespan(*timeout), resend_atom::value, g.seq);
  }
  st.trace.emit_to(self, event_kind::send, sim::actor_id::server(0), static_cast<std::int64_t>(g.version), -1,
                wire_message_bytes(g.size(), st.settings->wire_per_double));
  if (st.shards.size() > 1)
    send_slices(self, g, early);
  else if (early) // the worker as sender: a real-clock link then follows g.at
    typed_send_later(self, st.shards[0].uplink, *early, msg); // shared, not copied
  else
    send_to(self, st.shards[0].uplink, msg); // the whole vector, shared
  (g.residual_form() ? st.sent : gradient_pool(st)).keep(std::move(msg));
}

void finish_computation(worker_self self) {
  auto& st = self->state;
  st.computing = false;
  write_gradient(st);
  st.trace.emit(self, event_kind::compute_end, {},
                static_cast<std::int64_t>(pending_of(std::as_const(st)).version));
  switch (st.rule().on_computed()) {
    case sim::computed_action::local_step:
      return local_step(self);
    case sim::computed_action::join_ring:
      return ring_begin(self);
    case sim::computed_action::push:
      break;
  }
  bool own_step = st.rule().applies_own_gradient();
  if (own_step)
    sim::sgd_step(st.theta, pending_gradient(st), own_rate(st));
  push_pending(self);
  // Parameters that came while it computed are in `theta` already.
  if (own_step || all_fresh(st))
    start_computation(self);
}

void push_when_computed(worker_self self, caf::timespan after) {
  auto& st = self->state;
  st.computing = false;
  write_gradient(st);
  push_pending(self, after);
}

bool push_before_link(const worker_state& st, caf::actor_clock::time_point now) {
  return st.pushed_early && st.compute_due > now;
}

void on_params(worker_self self, const params_msg& p) {
  auto& st = self->state;
  ++st.counts.received;
  st.trace.emit_to(self, event_kind::deliver, sim::actor_id::server(p.shard), static_cast<std::int64_t>(p.version));
  if (st.started && !newer_than(st, p))
    return; // a duplicate, or older than what it has
  if (st.computing && st.rule().abandons_on_newer()) {
    // A newer round began: the computation on the old one is abandoned.
    ++st.counts.abandoned;
    st.computing = false;
    st.trace.emit(self, event_kind::abandon, {}, static_cast<std::int64_t>(computing(st).version));
  }
  adopt(self, p);
  if (!all_fresh(st))
    return; // the other shards' ranges are still on their way
  st.answered = st.pushes;
  if (st.computing)
    return; // taken up when the computation is pushed
  st.started = true;
  if (st.block)
    st.block->begin(st.theta);
  start_computation(self);
}

void arm_pull(worker_self self) {
  if (auto timeout = self->state.settings->timeout)
    send_later(self, self, to_timespan(*timeout), resend_atom::value, pull_seq);
}

void on_pull(worker_self self) {
  auto& st = self->state;
  if (st.started)
    return;
  ++st.counts.resends;
  for (std::uint32_t s = 0; s < st.shards.size(); ++s) {
    if (st.shards[s].fresh)
      continue;
    st.trace.emit_to(self, event_kind::resend, sim::actor_id::server(s));
    send_to(self, st.shards[s].uplink,
            join_msg{st.id, st.incarnation, caf::actor_cast<caf::actor>(self)});
  }
  arm_pull(self);
}

void on_resend(worker_self self, std::uint64_t seq) {
  auto& st = self->state;
  if (st.unanswered.empty())
    return;
  if (st.unanswered.get_as<gradient_msg>(0).seq != seq || st.answered >= seq)
    return;
  ++st.counts.resends;
  // A resend leaves now. Only the real clock reads the time it carries, and the gradient,
  // which the link or the server may still hold, is not copied to carry it: the time
  // goes beside it in a hop stamp.
  if (st.timing.deadlines)
    stamp_hop<gradient_msg>(st.unanswered, stamp_of(st.timing.now));
  st.trace.emit_to(self, event_kind::resend, sim::actor_id::server(0),
                   static_cast<std::int64_t>(st.unanswered.get_as<gradient_msg>(0).version));
  if (st.shards.size() == 1)
    send_to(self, st.shards[0].uplink, st.unanswered);
  else
    send_slices(self, st.unanswered.get_as<gradient_msg>(0));
  send_later(self, self, to_timespan(*st.settings->timeout), resend_atom::value, seq);
}

} // namespace psim::actors
