// The parameter server as the executor of its rule's decisions: taking a gradient into
// the round, applying an update (optimizer, version, checkpoint, busy time, metrics
// point), discarding, and sending the parameters to one worker or to all.
#include "actors/server/parameter_server.hpp"

#include "actors/link/network_link.hpp"
#include "actors/runtime/clock.hpp"
#include "actors/runtime/send_later.hpp"

#include <stdexcept>
#include <string>

namespace psim::actors {

namespace {

std::vector<double> copy_of(const Eigen::Ref<const sim::vector>& x) {
  return std::vector<double>(x.data(), x.data() + x.size());
}

// Sends `msg` on `link` once the update under way is applied.
void send_after_update(server_actor* self, const caf::actor& link, const caf::message& msg) {
  const auto& st = self->state;
  if (st.busy_until > st.timing.now)
    send_later(self, link, wait_until(st.busy_until, self->clock().now()), msg);
  else
    self->send(link, msg);
}

// The model time parameters sent now leave the server: when the update under way is done.
std::int64_t leaving_at(const parameter_server_state& st) {
  return stamp_of(std::max(st.timing.now, st.busy_until));
}

// After an update of θ: counts the version, checkpoints, marks the server busy for
// server_apply_time and sends a metrics point when due.
void count_update(server_actor* self) {
  auto& st = self->state;
  ++st.version;
  ++st.applies;
  auto every = st.settings.checkpoint_every;
  if (every > 0 && st.version % every == 0) {
    st.checkpoint = st.theta.values();
    st.checkpoint_version = st.version;
    st.checkpoint_optimizer = st.optimizer->clone();
  }
  st.history->record(st.version, st.theta.values());
  arm_watchdog(self);
  auto apply_time = st.settings.apply_time;
  if (apply_time > 0)
    st.busy_until = st.timing.now + to_timespan(apply_time);
  st.applied_at = seconds_between(st.start, std::max(self->clock().now(), st.busy_until));
  if (st.progress != nullptr)
    st.progress->note_version(st.version);
  const auto& run = st.settings.run;
  if (run.stop.updates && st.version >= *run.stop.updates)
    st.halted = true;
  if (st.version % run.eval_every == 0 || st.halted)
    send_point(self);
}

// Applies one update θ ← optimizer step at `rate` along `direction` (a vector, or a
// gradient in residual form), and counts it.
template <class Direction>
void apply_update(server_actor* self, const Direction& direction, double rate) {
  self->state.theta.step(*self->state.optimizer, direction, rate);
  count_update(self);
}

// Counts `gradients` applied gradients of staleness `tau` from `worker`.
void record_applied(server_actor* self, std::uint32_t worker, std::uint64_t tau,
                    std::uint32_t gradients) {
  auto& st = self->state;
  auto& hist = st.report.staleness_histogram;
  if (hist.size() <= tau)
    hist.resize(tau + 1, 0);
  hist[tau] += gradients;
  st.report.applied += gradients;
  st.staleness_sum += static_cast<double>(tau) * gradients;
  st.staleness_count += gradients;
  st.trace.emit_to(self, event_kind::apply, sim::actor_id::worker(worker),
                static_cast<std::int64_t>(st.version + 1), static_cast<std::int64_t>(tau));
}

// The current parameters as a message leaving at `at`, shared by every reply to it:
// the message that holds θ, labelled (server_parameters copies θ only to relabel it).
const caf::message& snapshot(server_actor* self, std::int64_t at) {
  auto& st = self->state;
  return st.theta.message(st.version, st.epoch, at);
}

// Sends the current parameters to one live worker (after the update under way); with
// injected staleness, those of an older version under the current version's label.
void reply(server_actor* self, std::uint32_t worker) {
  auto& st = self->state;
  if (!st.rule->live(worker))
    return;
  st.trace.emit_to(self, event_kind::send, sim::actor_id::worker(worker), static_cast<std::int64_t>(st.version),
                -1, wire_message_bytes(static_cast<std::size_t>(st.theta.values().size()),
                                   st.settings.wire_per_double));
  if (!st.history->enabled()) {
    send_after_update(self, st.downlinks.at(worker), snapshot(self, leaving_at(st)));
    return;
  }
  const auto& theta = st.history->at(st.history->serve(worker, st.version));
  auto params = params_msg{st.shard, st.version, st.epoch, copy_of(theta), leaving_at(st)};
  send_after_update(self, st.downlinks.at(worker), caf::make_message(std::move(params)));
}

// Sends the current parameters to every live worker (after the update under way).
void broadcast(server_actor* self) {
  auto& st = self->state;
  const auto& msg = snapshot(self, leaving_at(st)); // one message, shared by every link
  for (std::uint32_t w = 0; w < st.downlinks.size(); ++w) {
    if (!st.rule->live(w))
      continue;
    st.trace.emit_to(self, event_kind::send, sim::actor_id::worker(w), static_cast<std::int64_t>(st.version),
                  -1, wire_message_bytes(static_cast<std::size_t>(st.theta.values().size()),
                                   st.settings.wire_per_double));
    send_after_update(self, st.downlinks[w], msg);
  }
}

// Carries out one decision; `g` is the gradient at hand, if any.
struct executor {
  server_actor* self;
  const gradient_msg* g;

  Eigen::Map<const sim::vector> values() const {
    return {g->values.data(), self->state.theta.values().size()};
  }

  // `factor` times the gradient at hand in residual form, checked against the shard.
  sim::residual_gradient expanded(double factor) const {
    auto& st = self->state;
    auto size = static_cast<std::uint64_t>(st.theta.values().size());
    if (g->entries != size)
      throw std::invalid_argument(server_name(st.shard) + ": a gradient of "
                                  + std::to_string(g->entries) + " entries for a shard of "
                                  + std::to_string(size));
    return st.residuals.gradient_of(*g, factor);
  }

  // take_into_round for a gradient in residual form: the same sums, each entry added as
  // it is computed (sum - (-w) x is sum + w x, bit for bit).
  void take_residual(const sim::take_into_round& d) const {
    auto& st = self->state;
    auto gradient = expanded(d.factor); // checked before the round changes
    if (st.round_count == 0)
      return gradient.write(0, st.round_sum);
    if (st.round_count == 1)
      st.round_sum *= st.round_weight;
    gradient.descend(-d.weight, st.round_sum, st.round_sum);
  }

  // The round keeps its one gradient as it is (scaled by its factor), so that a round
  // of one applies exactly what async would; from the second on, the sum of
  // samples-weighted gradients.
  void operator()(const sim::take_into_round& d) const {
    auto& st = self->state;
    if (g->residual_form())
      take_residual(d);
    else if (st.round_count == 0)
      st.round_sum = d.factor * values();
    else {
      if (st.round_count == 1)
        st.round_sum *= st.round_weight;
      st.round_sum += d.weight * (d.factor * values());
    }
    ++st.round_count;
    st.round_weight += d.weight;
    st.report.pending += g->gradients;
  }

  void operator()(const sim::apply_round& d) const {
    auto& st = self->state;
    for (const auto& m : d.members) {
      record_applied(self, m.worker, m.tau, m.gradients);
      st.report.pending -= m.gradients;
    }
    if (st.round_count > 1)
      st.round_sum /= st.round_weight;
    apply_update(self, st.round_sum, d.rate);
    st.round_sum.setZero();
    st.round_weight = 0;
    st.round_count = 0;
  }

  // The gradient, scaled by its staleness factor, enters the optimizer at the base rate.
  void operator()(const sim::apply_gradient& d) const {
    if (g->residual_form()) {
      auto direction = expanded(d.factor); // checked before anything is counted
      record_applied(self, g->worker, d.tau, g->gradients);
      apply_update(self, direction, d.rate);
      return;
    }
    record_applied(self, g->worker, d.tau, g->gradients);
    if (d.factor == 1)
      apply_update(self, values(), d.rate);
    else
      apply_update(self, d.factor * values(), d.rate);
  }

  void operator()(const sim::discard_stale& d) const {
    auto& st = self->state;
    st.report.discarded_stale += g->gradients;
    st.trace.emit_to(self, event_kind::discard, sim::actor_id::worker(g->worker),
                  static_cast<std::int64_t>(g->version), static_cast<std::int64_t>(d.tau));
  }

  // Once the update budget is spent, the server answers nobody.
  void operator()(const sim::reply_to& d) const {
    if (!self->state.halted)
      reply(self, d.worker);
  }

  void operator()(const sim::broadcast_all&) const {
    if (!self->state.halted)
      broadcast(self);
  }

  // The worker simply gets no parameters until a later reply_to.
  void operator()(const sim::hold_back&) const {}
};

} // namespace

void carry_out(server_actor* self, const sim::decisions& todo, const gradient_msg* g) {
  for (const auto& d : todo)
    std::visit(executor{self, g}, d);
}

void send_point(server_actor* self) {
  auto& st = self->state;
  metrics_point point{st.shard,         st.version,         st.applied_at,     st.report.applied,
                      st.staleness_sum, st.staleness_count, copy_of(st.theta.values())};
  st.staleness_sum = 0;
  st.staleness_count = 0;
  st.last_point = st.version;
  self->send(st.recorder, std::move(point));
}

// One watchdog message at a time, not one per update: each update only notes the time,
// and a message that finds progress since it was sent waits again from that time.
void arm_watchdog(server_actor* self) {
  auto& st = self->state;
  auto stall = st.settings.run.stall_timeout;
  if (!stall)
    return;
  st.progress_at = self->clock().now();
  if (st.watchdog_armed)
    return;
  st.watchdog_armed = true;
  send_later(self, self, to_timespan(*stall), watchdog_atom::value, st.applies);
}

} // namespace psim::actors
