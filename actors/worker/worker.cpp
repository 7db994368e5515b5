// The worker: on parameters, it computes a gradient (compute.cpp) and releases it after
// a modeled compute time drawn from its own random stream; then it carries out its
// mode's worker rule (push.cpp, ring.cpp). It reads the scenario once,
// when spawned (settings_of), and keeps only what it needs.
#include "actors/worker/worker.hpp"

#include "actors/no_reply.hpp"
#include "actors/runtime/clock.hpp"
#include "actors/runtime/send_later.hpp"
#include "actors/runtime/failure_watch.hpp"
#include "actors/link/network_link.hpp"
#include "actors/runtime/scenario_cache.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>
#include <tuple>

namespace psim::actors {

namespace {

void report_to(worker_self self, const caf::actor& recorder) {
  auto& s = self->state;
  const auto& c = s.counts;
  worker_report r;
  r.id = s.id;
  r.incarnation = s.incarnation;
  r.node = s.settings->node;
  r.computed = c.computed;
  r.pushed = c.pushed;
  r.abandoned = c.abandoned;
  r.applied = c.applied;
  r.received = c.received;
  r.crashes = c.crashes;
  r.pushes = s.pushes;
  r.resends = c.resends;
  r.skew_sum = c.skew_sum;
  r.skew_max = c.skew_max;
  if (push_before_link(s, self->clock().now())) {
    // Pushed as it started; in model time it computes still, as the timer would have it.
    --r.pushed;
    --r.pushes;
  }
  r.computing = r.computed - r.pushed - r.abandoned - r.applied;
  if (s.rule().keeps_replica())
    r.replica.assign(s.theta.data(), s.theta.data() + s.theta.size());
  r.lag = s.timing.lag.values();
  send_to(self, recorder, std::move(r));
}

// A fault's effect: slowed while a worker_slowed effect is in force; worker_down and
// worker_offline end this worker (the injector may start a fresh one later).
void on_effect(worker_self self, const effect_msg& e) {
  auto& st = self->state;
  if (e.effect.kind == sim::effect_kind::worker_slowed) {
    // Kept in fault order: the factors multiply in that order, as they always have.
    auto& f = st.slowdowns;
    auto it = std::lower_bound(f.begin(), f.end(), e.fault,
                               [](const auto& entry, std::uint32_t x) { return entry.first < x; });
    bool found = it != f.end() && it->first == e.fault;
    if (e.begin && found)
      it->second = e.effect.factor;
    else if (e.begin)
      f.insert(it, {e.fault, e.effect.factor});
    else if (found)
      f.erase(it);
    return;
  }
  bool offline = e.effect.kind == sim::effect_kind::worker_offline;
  if ((e.effect.kind != sim::effect_kind::worker_down && !offline) || !e.begin)
    return;
  // A crash, or going offline: the work under way is lost with the worker, which
  // leaves for good (a fresh actor may take its place later).
  auto& c = st.counts;
  c.abandoned += c.computed - c.pushed - c.abandoned - c.applied;
  if (!offline)
    ++c.crashes;
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
    for (std::size_t i = 0; i < s.shards.size(); ++i)
      send_to(self, s.shards[i].uplink,
              join_msg{s.id, s.incarnation, caf::actor_cast<caf::actor>(self)});
  } else if (s.rule().keeps_replica()) {
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
  if (s.replica) {
    auto& record = s.replica->report;
    record.params.assign(s.theta.data(), s.theta.data() + s.theta.size());
    record.version = s.version;
    record.time = seconds_between(s.start, self->clock().now());
    send_to(self, recorder, record);
  }
}

// Sets up the state of worker `config.id` from what it reads of the scenario.
void set_up(worker_state& st, const actor_config& config) {
  st.settings = shared_settings(shared_scenario(config.scenario), config.node);
  const auto& set = *st.settings;
  const auto& scn = *set.scenario;
  std::tie(st.compute_time, st.slowdown) = scn.compute.of_worker(config.id);
  st.id = config.id;
  st.incarnation = config.incarnation;
  auto who = worker_name(config.id);
  st.batches.emplace(set.sampling, set.data->shards.at(config.id), set.batch_size,
                     sim::random_stream{set.seed, "batches/" + who});
  st.compute_rng.emplace(set.seed, "compute/" + who);
  st.trace.actor = who;
  st.trace.enabled = set.trace_events;
  if (set.real_clock)
    st.timing.follow_deadlines();
  auto params = static_cast<Eigen::Index>(st.model().parameters());
  st.parameters = params;
  const auto& rule = st.rule();
  auto shards = static_cast<Eigen::Index>(rule.keeps_replica() ? 1 : set.servers);
  st.in_place = sim::reads_in_place(rule, static_cast<std::size_t>(shards));
  // A server on another node would need the data set to expand a residual.
  st.pushes_residuals = st.in_place && !scn.deployment.enabled();
  if (!st.in_place)
    st.theta = sim::vector::Zero(params);
  st.shards.resize(static_cast<std::size_t>(shards));
  for (Eigen::Index s = 0; s < shards; ++s) {
    auto& view = st.shards[static_cast<std::size_t>(s)];
    view.begin = s * params / shards;
    view.size = (s + 1) * params / shards - view.begin;
  }
  if (rule.on_computed() == sim::computed_action::local_step)
    st.block = std::make_unique<sim::local_block>(rule.steps_per_push());
  if (rule.keeps_replica())
    st.ring = std::make_unique<sim::ring_member>(set.workers, config.id, params);
  if (rule.keeps_replica() && config.id == 0)
    st.replica = std::make_unique<replica_record>();
}

} // namespace

bool folds_compute_end(const sim::scenario& scn, const sim::worker_rule& rule) {
  // The modes whose servers answer a worker only once its push arrived (async at once,
  // ssp when the bound lets it go on, kasync when its round of K closes).
  auto mode = scn.training.mode;
  bool answers_pushers_only = mode == sim::mode_kind::async || mode == sim::mode_kind::ssp
                              || mode == sim::mode_kind::kasync;
  return !scn.deployment.enabled() && answers_pushers_only
         && rule.on_computed() == sim::computed_action::push && !rule.abandons_on_newer()
         && !rule.applies_own_gradient() && scn.faults.empty() && !scn.availability.any()
         && !scn.network.timeout && !scn.trace.events;
}

namespace {

// The settings of `scn` for its workers, made afresh.
std::shared_ptr<const worker_settings> make_settings(std::shared_ptr<const sim::scenario> scn,
                                                     const std::string& node) {
  auto s = std::make_shared<worker_settings>();
  s->data = sim::shared_data(scn->data, scn->seed, scn->cluster.workers);
  s->rule = sim::make_worker_rule(scn->training);
  s->seed = scn->seed;
  s->workers = scn->cluster.workers;
  s->servers = scn->cluster.servers;
  s->batch_size = scn->training.batch_size;
  s->sampling = scn->training.sampling;
  s->learning_rate = scn->training.learning_rate;
  s->schedule = scn->training.schedule;
  s->timeout = scn->network.timeout;
  s->update_budget = scn->run.stop.updates;
  s->eval_every = scn->run.eval_every;
  s->trace_events = scn->trace.events;
  s->real_clock = scn->run.clock == sim::clock_kind::real_time;
  s->folds_compute_end = folds_compute_end(*scn, *s->rule);
  s->wire_per_double = wire_per_double(*scn, 0);
  s->wire_per_ring_double = wire_per_double(*scn, 1);
  s->node = node.empty() ? "local" : node;
  s->scenario = std::move(scn);
  return s;
}

// Hands `m`, meant for model time `at` (its own stamp or its hop_stamp's), to `handle`
// unless the worker has stopped.
template <class Message>
no_reply arrived(worker_self self, const Message& m, std::int64_t at,
                 void (*handle)(worker_self, const Message&)) {
  auto& st = self->state;
  if (st.stopped)
    return {};
  st.timing.enter_stamped(self, self->clock().now(), at);
  handle(self, m);
  return {};
}

} // namespace

const sim::model& thread_model(const sim::scenario& scn, std::size_t features) {
  // The last answer first: one scenario per thread is the rule, and plain thread_local
  // pointers cost no guarded lookup. Real clock: each thread has its own pair.
  thread_local const sim::scenario* last_scenario = nullptr;
  thread_local const sim::model* last_model = nullptr;
  if (&scn == last_scenario)
    return *last_model;
  // By scenario: parsed scenarios live as long as the process (scenario_cache).
  thread_local std::map<const sim::scenario*, std::unique_ptr<sim::model>> models;
  auto& model = models[&scn];
  if (!model)
    model = sim::make_model(scn.model, features);
  last_scenario = &scn;
  last_model = model.get();
  return *model;
}

const sim::model& worker_state::model() const {
  return thread_model(*settings->scenario, settings->data->train.features());
}

std::shared_ptr<const worker_settings> shared_settings(std::shared_ptr<const sim::scenario> scn,
                                                       const std::string& node) {
  // By scenario and node: parsed scenarios live as long as the process (scenario_cache).
  using key = std::pair<const sim::scenario*, std::string>;
  static std::mutex mutex;
  static std::map<key, std::weak_ptr<const worker_settings>> made;
  std::lock_guard<std::mutex> guard{mutex};
  auto& entry = made[key{scn.get(), node}];
  auto settings = entry.lock();
  if (!settings) {
    settings = make_settings(std::move(scn), node);
    entry = settings;
  }
  return settings;
}

worker_actor::behavior_type worker(worker_self self, actor_config config) {
  // The name is made only if a handler throws: no string per worker all run long.
  self->set_exception_handler([id = config.id](caf::scheduled_actor*, std::exception_ptr& x) {
    return failure_of(worker_name(id), x);
  });
  set_up(self->state, config);
  return {
    // Hottest first: each handler of another type tried before costs a type comparison.
    [=](const params_msg& p) { return arrived(self, p, p.at, on_params); },
    [=](computed_atom, std::uint64_t id) -> no_reply {
      auto& s = self->state;
      if (s.stopped || !s.computing || id != s.computation)
        return {};
      s.timing.enter(self->clock().now(), stamp_of(s.compute_due));
      finish_computation(self);
      return {};
    },
    [=](const chunk_msg& c) { return arrived(self, c, c.at, ring_receive); },
    [=](const params_msg& p, const hop_stamp& h) { return arrived(self, p, h.at, on_params); },
    [=](const chunk_msg& c, const hop_stamp& h) { return arrived(self, c, h.at, ring_receive); },
    [=](const wiring& w) {
      auto& shards = self->state.shards;
      if (w.peers.size() != shards.size())
        throw std::logic_error(worker_name(self->state.id) + " wired to "
                               + std::to_string(w.peers.size()) + " links");
      for (std::size_t s = 0; s < shards.size(); ++s)
        shards[s].uplink = w.peers[s];
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
    [=](stop_atom, const caf::actor& recorder) { on_stop(self, recorder); },
  };
}

} // namespace psim::actors
