// The parameter server: shared mechanics of every mode — deduplication, the time an
// update takes (server_apply_time), versions, metrics points and replies. The rules
// of each mode are in server_modes.cpp.
#include "actors/parameter_server.hpp"

#include "actors/clock.hpp"
#include "actors/network_link.hpp"
#include "actors/scenario_cache.hpp"
#include "sim/model.hpp"
#include "sim/random.hpp"

namespace psim::actors {

namespace {

using sim::mode_kind;

std::vector<double> copy_of(const sim::vector& x) {
  return std::vector<double>(x.data(), x.data() + x.size());
}

void send_point(server_actor* self) {
  auto& st = self->state;
  metrics_point point{st.version,      st.applied_at,         st.report.applied,
                      st.staleness_sum, st.staleness_count, copy_of(st.theta)};
  st.staleness_sum = 0;
  st.staleness_count = 0;
  st.last_point = st.version;
  self->send(st.recorder, std::move(point));
}

// Sends `msg` on `link` once the update under way is applied.
void send_after_update(server_actor* self, const caf::actor& link, const caf::message& msg) {
  auto now = self->clock().now();
  if (self->state.busy_until > now)
    self->delayed_send(link, self->state.busy_until - now, msg);
  else
    self->send(link, msg);
}

void on_gradient(server_actor* self, const gradient_msg& g) {
  auto& st = self->state;
  auto now = self->clock().now();
  if (st.busy_until > now) {
    // Still applying an update: take this gradient up when it is done.
    auto msg = self->current_mailbox_element()->move_content_to_message();
    self->delayed_send(self, st.busy_until - now, std::move(msg));
    return;
  }
  if (!st.seen.at(g.worker).first_time(g.seq)) {
    ++st.report.duplicates;
    return;
  }
  ++st.report.received;
  st.report.received_gradients += g.gradients;
  st.trace.emit(self, "deliver", worker_name(g.worker), static_cast<std::int64_t>(g.version));
  if (st.halted) {
    st.report.pending += g.gradients;
    return;
  }
  switch (st.scenario->training.mode) {
    case mode_kind::async:
    case mode_kind::ssp:
      return on_async_gradient(self, g);
    case mode_kind::kasync:
      return on_kasync_gradient(self, g);
    default:
      return on_round_gradient(self, g);
  }
}

} // namespace

void apply_update(server_actor* self, const Eigen::Ref<const sim::vector>& direction,
                  double rate) {
  auto& st = self->state;
  auto momentum = st.scenario->training.momentum;
  if (momentum > 0) {
    st.velocity = momentum * st.velocity + direction;
    st.theta -= rate * st.velocity;
  } else {
    st.theta -= rate * direction;
  }
  ++st.version;
  auto apply_time = st.scenario->cluster.server_apply_time;
  auto now = self->clock().now();
  if (apply_time > 0)
    st.busy_until = now + to_timespan(apply_time);
  st.applied_at = seconds_between(st.start, std::max(now, st.busy_until));
  const auto& run = st.scenario->run;
  if (run.stop.updates && st.version >= *run.stop.updates)
    st.halted = true;
  if (st.version % run.eval_every == 0 || st.halted)
    send_point(self);
}

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
  st.trace.emit(self, "apply", worker_name(worker), static_cast<std::int64_t>(st.version + 1),
                static_cast<std::int64_t>(tau));
}

void reply(server_actor* self, std::uint32_t worker) {
  auto& st = self->state;
  st.trace.emit(self, "send", worker_name(worker), static_cast<std::int64_t>(st.version), -1,
                message_bytes(static_cast<std::size_t>(st.theta.size())));
  send_after_update(self, st.downlinks.at(worker),
                    caf::make_message(params_msg{st.version, copy_of(st.theta)}));
}

void broadcast(server_actor* self) {
  auto& st = self->state;
  // One message, shared by every link: the parameters are copied once.
  auto msg = caf::make_message(params_msg{st.version, copy_of(st.theta)});
  for (std::uint32_t w = 0; w < st.downlinks.size(); ++w) {
    st.trace.emit(self, "send", worker_name(w), static_cast<std::int64_t>(st.version), -1,
                  message_bytes(static_cast<std::size_t>(st.theta.size())));
    send_after_update(self, st.downlinks[w], msg);
  }
}

caf::behavior parameter_server(server_actor* self, actor_config config) {
  auto& st = self->state;
  st.scenario = shared_scenario(config.scenario);
  const auto& scn = *st.scenario;
  auto data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  auto model = sim::make_model(scn.model, data->train.features());
  sim::random_stream init{scn.seed, "init"};
  st.theta = model->initial_parameters(init);
  st.velocity = sim::vector::Zero(st.theta.size());
  st.round_sum = sim::vector::Zero(st.theta.size());
  auto workers = scn.cluster.workers;
  st.round_has.assign(workers, false);
  st.seen.resize(workers);
  st.clocks.assign(workers, 0);
  st.waiting.assign(workers, false);
  st.trace.actor = server_name(config.id);
  st.trace.enabled = scn.trace.events;
  return {
    [=](wiring& w) { self->state.downlinks = std::move(w.peers); },
    [=](start_atom, const caf::actor& recorder) {
      auto& s = self->state;
      s.recorder = recorder;
      s.trace.recorder = recorder;
      s.start = self->clock().now();
      send_point(self);
      broadcast(self);
    },
    [=](const gradient_msg& g) {
      if (!self->state.stopped)
        on_gradient(self, g);
    },
    [=](stop_atom, const caf::actor& recorder) {
      auto& s = self->state;
      s.stopped = true;
      if (s.last_point != s.version)
        send_point(self);
      s.report.version = s.version;
      s.report.applied_at = s.applied_at;
      s.report.time = seconds_between(s.start, self->clock().now());
      s.report.params = copy_of(s.theta);
      self->send(recorder, s.report);
    },
  };
}

} // namespace psim::actors
