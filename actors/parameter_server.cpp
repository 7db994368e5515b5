// The parameter server: sync applies the batch-weighted average of one gradient per
// worker per round; async applies each gradient on arrival and answers its sender.
#include "actors/parameter_server.hpp"

#include "actors/clock.hpp"
#include "actors/scenario_cache.hpp"
#include "sim/model.hpp"
#include "sim/random.hpp"

namespace psim::actors {

namespace {

using server_actor = caf::stateful_actor<parameter_server_state>;

caf::message params_message(const parameter_server_state& st) {
  return caf::make_message(params_msg{
    st.version, std::vector<double>(st.theta.data(), st.theta.data() + st.theta.size())});
}

void send_point(server_actor* self) {
  auto& st = self->state;
  metrics_point point{st.version, st.applied_at, st.report.applied, st.staleness_sum,
                      st.staleness_count,
                      std::vector<double>(st.theta.data(), st.theta.data() + st.theta.size())};
  st.staleness_sum = 0;
  st.staleness_count = 0;
  st.last_point = st.version;
  self->send(st.recorder, std::move(point));
}

// Takes one step along `direction` (with momentum if configured); counts the version.
template <class Direction>
void step(server_actor* self, const Direction& direction, double rate) {
  auto& st = self->state;
  auto momentum = st.scenario->training.momentum;
  if (momentum > 0) {
    st.velocity = momentum * st.velocity + direction;
    st.theta -= rate * st.velocity;
  } else {
    st.theta -= rate * direction;
  }
  ++st.version;
  st.applied_at = seconds_between(st.start, self->clock().now());
  const auto& run = st.scenario->run;
  auto budget = run.stop.updates;
  if (budget && st.version >= *budget)
    st.halted = true;
  if (st.version % run.eval_every == 0 || st.halted)
    send_point(self);
}

void record_staleness(parameter_server_state& st, std::uint64_t tau) {
  auto& hist = st.report.staleness_histogram;
  if (hist.size() <= tau)
    hist.resize(tau + 1, 0);
  ++hist[tau];
  ++st.report.applied;
  st.staleness_sum += static_cast<double>(tau);
  ++st.staleness_count;
}

void on_sync_gradient(server_actor* self, const gradient_msg& g) {
  auto& st = self->state;
  if (g.version != st.version || st.round_has.at(g.worker)) {
    ++st.report.discarded_stale;
    return;
  }
  Eigen::Map<const sim::vector> values{g.values.data(), st.theta.size()};
  st.round_sum += static_cast<double>(g.samples) * values;
  st.round_samples += g.samples;
  st.round_has[g.worker] = true;
  ++st.round_count;
  ++st.report.pending;
  if (st.round_count < st.downlinks.size())
    return;
  for (std::size_t w = 0; w < st.round_count; ++w)
    record_staleness(st, 0);
  st.report.pending -= st.round_count;
  st.round_sum /= static_cast<double>(st.round_samples);
  step(self, st.round_sum, st.scenario->training.learning_rate);
  st.round_sum.setZero();
  st.round_samples = 0;
  st.round_count = 0;
  std::fill(st.round_has.begin(), st.round_has.end(), false);
  if (st.halted)
    return;
  auto msg = params_message(st);
  for (auto& link : st.downlinks)
    self->send(link, msg);
}

void on_async_gradient(server_actor* self, const gradient_msg& g) {
  auto& st = self->state;
  const auto& tr = st.scenario->training;
  auto tau = st.version - g.version;
  if (tr.drop_stale >= 0 && tau > static_cast<std::uint64_t>(tr.drop_stale)) {
    ++st.report.discarded_stale;
  } else {
    auto rate = tr.learning_rate;
    if (tr.staleness_lr_inverse && tau > 1)
      rate /= static_cast<double>(tau);
    record_staleness(st, tau);
    step(self, Eigen::Map<const sim::vector>{g.values.data(), st.theta.size()}, rate);
  }
  if (!st.halted)
    self->send(st.downlinks.at(g.worker), params_message(st));
}

} // namespace

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
  st.round_has.assign(scn.cluster.workers, false);
  st.seen.resize(scn.cluster.workers);
  return {
    [=](wiring& w) { self->state.downlinks = std::move(w.peers); },
    [=](start_atom, const caf::actor& recorder) {
      auto& s = self->state;
      s.recorder = recorder;
      s.start = self->clock().now();
      send_point(self);
      auto msg = params_message(s);
      for (auto& link : s.downlinks)
        self->send(link, msg);
    },
    [=](const gradient_msg& g) {
      auto& s = self->state;
      if (s.stopped)
        return;
      if (!s.seen.at(g.worker).first_time(g.seq)) {
        ++s.report.duplicates;
        return;
      }
      ++s.report.received;
      if (s.halted) {
        ++s.report.pending;
        return;
      }
      if (s.scenario->training.mode == sim::mode_kind::sync)
        on_sync_gradient(self, g);
      else
        on_async_gradient(self, g);
    },
    [=](stop_atom, const caf::actor& recorder) {
      auto& s = self->state;
      s.stopped = true;
      if (s.last_point != s.version)
        send_point(self);
      s.report.version = s.version;
      s.report.applied_at = s.applied_at;
      s.report.time = seconds_between(s.start, self->clock().now());
      s.report.params.assign(s.theta.data(), s.theta.data() + s.theta.size());
      self->send(recorder, s.report);
    },
  };
}

} // namespace psim::actors
