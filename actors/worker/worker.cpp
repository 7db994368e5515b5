// The worker: on parameters, it computes a gradient at once (real arithmetic) and
// releases it after a modeled compute time drawn from its own random stream; then it
// carries out its mode's worker rule (push.cpp, ring.cpp). It reads the scenario once,
// when spawned (settings_of), and keeps only what it needs.
#include "actors/worker/worker.hpp"

#include "actors/runtime/clock.hpp"
#include "actors/runtime/send_later.hpp"
#include "actors/runtime/failure_watch.hpp"
#include "actors/link/network_link.hpp"
#include "actors/runtime/scenario_cache.hpp"

#include <algorithm>
#include <stdexcept>

namespace psim::actors {

namespace {

void report_to(worker_self self, const caf::actor& recorder) {
  auto& s = self->state;
  auto& r = s.report;
  r.computing = r.computed - r.pushed - r.abandoned - r.applied;
  if (s.rule->keeps_replica())
    r.replica.assign(s.theta.data(), s.theta.data() + s.theta.size());
  r.lag = s.timing.lag.values();
  send_to(self, recorder, r);
}

// A fault's effect: slowed while a worker_slowed effect is in force; worker_down and
// worker_offline end this worker (the injector may start a fresh one later).
void on_effect(worker_self self, const effect_msg& e) {
  auto& st = self->state;
  if (e.effect.kind == sim::effect_kind::worker_slowed) {
    if (e.begin)
      st.slowdowns[e.fault] = e.effect.factor;
    else
      st.slowdowns.erase(e.fault);
    return;
  }
  bool offline = e.effect.kind == sim::effect_kind::worker_offline;
  if ((e.effect.kind != sim::effect_kind::worker_down && !offline) || !e.begin)
    return;
  // A crash, or going offline: the work under way is lost with the worker, which
  // leaves for good (a fresh actor may take its place later).
  auto& r = st.report;
  r.abandoned += r.computed - r.pushed - r.abandoned - r.applied;
  if (!offline)
    ++r.crashes;
  st.trace.emit(self, offline ? event_kind::offline : event_kind::crash);
  report_to(self, st.trace.recorder);
  st.stopped = true;
  self->quit(caf::exit_reason::user_shutdown);
}

// The run has started: a restarted worker asks for the parameters; in allreduce the
// ring starts on the initial parameters.
void on_start(worker_self self, const caf::actor& recorder) {
  auto& s = self->state;
  s.trace.recorder = recorder;
  s.start = self->clock().now();
  s.timing.enter(s.start, 0);
  throw_if_injected(s.trace.actor);
  if (s.incarnation > 0) {
    s.trace.emit(self, event_kind::restart);
    for (const auto& link : s.uplinks)
      send_to(self, link, join_msg{s.id, s.incarnation, caf::actor_cast<caf::actor>(self)});
  } else if (s.rule->keeps_replica()) {
    ring_start(self);
    return;
  }
  arm_pull(self);
}

// The run has ended: the report, and worker 0's record of the allreduce replica.
void on_stop(worker_self self, const caf::actor& recorder) {
  auto& s = self->state;
  if (s.stopped)
    return;
  s.stopped = true;
  report_to(self, recorder);
  if (s.rule->keeps_replica() && s.id == 0) {
    s.replica.params.assign(s.theta.data(), s.theta.data() + s.theta.size());
    s.replica.version = s.version;
    s.replica.time = seconds_between(s.start, self->clock().now());
    send_to(self, recorder, s.replica);
  }
}

// Sets up the state of worker `config.id` from what it reads of the scenario.
void set_up(worker_state& st, const actor_config& config) {
  auto scn = shared_scenario(config.scenario);
  st.settings = settings_of(*scn, config.id);
  st.rule = sim::make_worker_rule(scn->training);
  st.id = config.id;
  st.incarnation = config.incarnation;
  st.data = sim::shared_data(scn->data, scn->seed, scn->cluster.workers);
  st.model = sim::make_model(scn->model, st.data->train.features());
  auto who = worker_name(config.id);
  st.batches.emplace(st.settings.sampling, st.data->shards.at(config.id),
                     st.settings.batch_size, sim::random_stream{scn->seed, "batches/" + who});
  st.compute_rng.emplace(scn->seed, "compute/" + who);
  st.trace.actor = who;
  st.trace.enabled = st.settings.trace_events;
  if (scn->run.clock == sim::clock_kind::real_time)
    st.timing.follow_deadlines();
  st.report.id = config.id;
  st.report.incarnation = config.incarnation;
  st.report.node = config.node.empty() ? "local" : config.node;
  auto params = static_cast<Eigen::Index>(st.model->parameters());
  st.parameters = params;
  auto shards = static_cast<Eigen::Index>(st.rule->keeps_replica() ? 1 : st.settings.servers);
  // It reads the received parameters in place when it never changes them itself and
  // one message holds them all; else it keeps its own copy.
  st.in_place = shards == 1 && st.rule->on_computed() == sim::computed_action::push
                && !st.rule->applies_own_gradient();
  if (!st.in_place)
    st.theta = sim::vector::Zero(params);
  for (Eigen::Index s = 0; s < shards; ++s)
    st.ranges.emplace_back(s * params / shards, (s + 1) * params / shards - s * params / shards);
  st.versions.assign(st.ranges.size(), 0);
  st.epochs.assign(st.ranges.size(), 0);
  st.fresh.assign(st.ranges.size(), false);
  st.computed_on.resize(st.ranges.size());
  if (st.rule->on_computed() == sim::computed_action::local_step)
    st.block.emplace(st.rule->steps_per_push());
  if (st.rule->keeps_replica())
    st.ring.emplace(st.settings.workers, config.id, params);
}

} // namespace

worker_settings settings_of(const sim::scenario& scn, std::uint32_t id) {
  worker_settings s;
  s.seed = scn.seed;
  s.workers = scn.cluster.workers;
  s.servers = scn.cluster.servers;
  s.batch_size = scn.training.batch_size;
  s.sampling = scn.training.sampling;
  s.learning_rate = scn.training.learning_rate;
  s.schedule = scn.training.schedule;
  auto [time, slowdown] = scn.compute.of_worker(id);
  s.compute_time = *time;
  s.slowdown = slowdown;
  s.timeout = scn.network.timeout;
  s.update_budget = scn.run.stop.updates;
  s.eval_every = scn.run.eval_every;
  s.trace_events = scn.trace.events;
  return s;
}

namespace {

// The parameters a computation reads: the held message's, or its own copy.
sim::parameters_view parameters_of(const worker_state& st) {
  if (!st.in_place)
    return st.theta;
  if (st.held.empty())
    throw std::logic_error(worker_name(st.id) + " computes without parameters");
  const auto& values = st.held.get_as<params_msg>(0).values;
  return Eigen::Map<const sim::vector>{values.data(), st.parameters};
}

} // namespace

void start_computation(worker_self self) {
  auto& st = self->state;
  auto batch = st.batches->next(st.data->train);
  if (st.pending.empty())
    st.pending = st.sent.take(); // a buffer the server is done with, or a new one
  auto& g = pending_of(st);
  g.worker = st.id;
  g.version = st.version;
  g.samples = static_cast<std::uint32_t>(batch.rows());
  g.gradients = 1;
  g.values.resize(static_cast<std::size_t>(st.parameters)); // the model writes every entry
  Eigen::Map<sim::vector> out{g.values.data(), st.parameters};
  st.model->gradient(parameters_of(st), batch, out);
  // Done with these parameters: the next computation starts on newer ones (on_params),
  // and letting go of them lets the server reuse their buffer.
  st.held = caf::message{};
  g.epoch = st.epochs[0];
  for (std::size_t s = 0; s < st.versions.size(); ++s)
    st.computed_on[s] = {st.versions[s], st.epochs[s]};
  ++st.report.computed;
  st.computing = true;
  std::fill(st.fresh.begin(), st.fresh.end(), false);
  if (st.versions.size() > 1) {
    auto [low, high] = std::minmax_element(st.versions.begin(), st.versions.end());
    st.report.skew_sum += *high - *low;
    st.report.skew_max = std::max(st.report.skew_max, *high - *low);
  }
  auto id = ++st.computation;
  st.trace.emit(self, event_kind::compute_start, {}, static_cast<std::int64_t>(st.version));
  auto delay = st.settings.compute_time.sample(*st.compute_rng) * st.settings.slowdown;
  for (const auto& [fault, factor] : st.slowdowns)
    delay *= factor;
  // The end is due a compute time after the model time it started at.
  st.compute_due = st.timing.now + to_timespan(delay);
  if (delay > 0)
    send_later(self, self, wait_until(st.compute_due, self->clock().now()),
               computed_atom::value, id);
  else
    self->send(self, computed_atom::value, id);
}

worker_actor::behavior_type worker(worker_self self, actor_config config) {
  guard_exceptions(self, worker_name(config.id));
  set_up(self->state, config);
  return {
    [=](const wiring& w) {
      self->state.uplinks = w.peers;
      self->state.uplink = w.peers.at(0);
    },
    [=](start_atom, const caf::actor& recorder) { on_start(self, recorder); },
    [=](const effect_msg& e) {
      if (!self->state.stopped)
        on_effect(self, e);
    },
    [=](resend_atom, std::uint64_t seq) {
      if (self->state.stopped)
        return;
      self->state.timing.enter(self->clock().now(), 0);
      if (seq == pull_seq)
        on_pull(self);
      else
        on_resend(self, seq);
    },
    [=](const params_msg& p) {
      if (self->state.stopped)
        return;
      self->state.timing.enter(self->clock().now(), local_stamp(self, p.at));
      on_params(self, p);
    },
    [=](const chunk_msg& c) {
      if (self->state.stopped)
        return;
      self->state.timing.enter(self->clock().now(), local_stamp(self, c.at));
      ring_receive(self, c);
    },
    [=](computed_atom, std::uint64_t id) {
      auto& s = self->state;
      if (s.stopped || !s.computing || id != s.computation)
        return;
      s.timing.enter(self->clock().now(), stamp_of(s.compute_due));
      finish_computation(self);
    },
    [=](stop_atom, const caf::actor& recorder) { on_stop(self, recorder); },
  };
}

} // namespace psim::actors
