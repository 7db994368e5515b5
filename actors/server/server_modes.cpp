// The rule of each training mode on the server (DESIGN §3): when a gradient counts,
// when an update is applied, and who gets the new parameters.
#include "actors/server/parameter_server.hpp"

#include <algorithm>

namespace psim::actors {

namespace {

using sim::mode_kind;

void discard(server_actor* self, const gradient_msg& g, std::uint64_t tau) {
  auto& st = self->state;
  st.report.discarded_stale += g.gradients;
  st.trace.emit(self, event_kind::discard, worker_name(g.worker), static_cast<std::int64_t>(g.version),
                static_cast<std::int64_t>(tau));
}

// Adds `weight` * g to the round under way.
void take_into_round(server_actor* self, const gradient_msg& g, double weight) {
  auto& st = self->state;
  Eigen::Map<const sim::vector> values{g.values.data(), st.theta.size()};
  st.round_sum += weight * values;
  st.round_weight += static_cast<double>(g.samples);
  st.members.push_back(round_member{g.worker, g.version, g.gradients});
  st.report.pending += g.gradients;
}

// Applies the round's weighted average at `rate` and empties the round.
void close_round(server_actor* self, double rate) {
  auto& st = self->state;
  for (const auto& m : st.members) {
    record_applied(self, m.worker, st.version - m.version, m.gradients);
    st.report.pending -= m.gradients;
  }
  st.round_sum /= st.round_weight;
  apply_update(self, st.round_sum, rate);
  st.round_sum.setZero();
  st.round_weight = 0;
  std::fill(st.round_has.begin(), st.round_has.end(), false);
}

double base_rate(const parameter_server_state& st) {
  const auto& tr = st.scenario->training;
  return tr.schedule.at(tr.learning_rate, st.version);
}

// The staleness-adjusted rate of one gradient of staleness `tau`.
double gradient_rate(const parameter_server_state& st, std::uint64_t tau) {
  auto rate = base_rate(st);
  if (st.scenario->training.staleness_lr_inverse && tau > 1)
    rate /= static_cast<double>(tau);
  return rate;
}

// ssp: worker `w` may start its next iteration when the slowest live worker is at
// most `staleness_bound` iterations behind it.
bool may_go_on(const parameter_server_state& st, std::uint32_t w) {
  auto slowest = st.clocks[w];
  for (std::size_t u = 0; u < st.clocks.size(); ++u)
    if (st.live[u] || st.scenario->training.on_failure == "wait")
      slowest = std::min(slowest, st.clocks[u]);
  auto bound = static_cast<std::uint64_t>(st.scenario->training.staleness_bound);
  return slowest + bound >= st.clocks[w];
}

// ssp: answers every held-back worker the bound now lets go on.
void release_waiting(server_actor* self) {
  auto& st = self->state;
  for (std::uint32_t w = 0; w < st.waiting.size(); ++w)
    if (st.waiting[w] && may_go_on(st, w)) {
      st.waiting[w] = false;
      reply(self, w);
    }
}

// Applies the round at its quorum and answers: everyone (round modes) or the round's
// members (kasync).
void finish_round(server_actor* self) {
  auto& st = self->state;
  const auto& tr = st.scenario->training;
  // local_sgd pushes model deltas that already include the learning rate.
  close_round(self, tr.mode == mode_kind::local_sgd ? 1.0 : base_rate(st));
  auto answered = std::move(st.members);
  st.members.clear();
  if (st.halted)
    return;
  if (tr.mode == mode_kind::kasync)
    for (const auto& m : answered)
      reply(self, m.worker);
  else
    broadcast(self);
}

} // namespace

void on_round_gradient(server_actor* self, const gradient_msg& g) {
  auto& st = self->state;
  const auto& tr = st.scenario->training;
  if (g.version != st.version || st.round_has.at(g.worker)) {
    discard(self, g, st.version - g.version);
    return;
  }
  take_into_round(self, g, static_cast<double>(g.samples));
  st.round_has[g.worker] = true;
  if (st.members.size() < quorum(st, tr.mode == mode_kind::ksync ? tr.k : st.live.size()))
    return;
  finish_round(self);
}

void on_async_gradient(server_actor* self, const gradient_msg& g) {
  auto& st = self->state;
  const auto& tr = st.scenario->training;
  auto tau = st.version - g.version;
  ++st.clocks.at(g.worker);
  if (tr.drop_stale >= 0 && tau > static_cast<std::uint64_t>(tr.drop_stale)) {
    discard(self, g, tau);
  } else {
    auto rate = gradient_rate(st, tau);
    record_applied(self, g.worker, tau, g.gradients);
    apply_update(self, Eigen::Map<const sim::vector>{g.values.data(), st.theta.size()}, rate);
  }
  if (st.halted)
    return;
  if (tr.mode == mode_kind::async)
    return reply(self, g.worker);
  st.waiting[g.worker] = true;
  release_waiting(self);
}

void on_kasync_gradient(server_actor* self, const gradient_msg& g) {
  auto& st = self->state;
  auto tau = st.version - g.version;
  // Each gradient's weight carries its own staleness-adjusted share of the rate.
  auto weight = static_cast<double>(g.samples) * gradient_rate(st, tau) / base_rate(st);
  take_into_round(self, g, weight);
  if (st.members.size() < quorum(st, st.scenario->training.k))
    return;
  finish_round(self);
}

std::size_t quorum(const parameter_server_state& st, std::size_t wanted) {
  if (st.scenario->training.on_failure == "wait")
    return wanted;
  auto live = static_cast<std::size_t>(std::count(st.live.begin(), st.live.end(), true));
  return std::max<std::size_t>(1, std::min(wanted, live));
}

void recheck_quorum(server_actor* self) {
  auto& st = self->state;
  const auto& tr = st.scenario->training;
  switch (tr.mode) {
    case mode_kind::async:
      return;
    case mode_kind::ssp:
      return release_waiting(self);
    case mode_kind::kasync:
      if (!st.members.empty() && st.members.size() >= quorum(st, tr.k))
        finish_round(self);
      return;
    default:
      if (!st.members.empty()
          && st.members.size() >= quorum(st, tr.mode == mode_kind::ksync ? tr.k : st.live.size()))
        finish_round(self);
  }
}

} // namespace psim::actors
