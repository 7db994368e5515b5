// The worker: on parameters, it computes a gradient at once (real arithmetic) and
// releases it after a modeled compute time drawn from its own random stream. What it
// does with a released gradient depends on the mode: push it (sync, async, ssp, ksync,
// kasync), take a local step (local_sgd), or join the ring (allreduce).
#include "actors/worker/worker.hpp"

#include "actors/runtime/clock.hpp"
#include "actors/link/network_link.hpp"
#include "actors/runtime/scenario_cache.hpp"

#include <algorithm>

namespace psim::actors {

namespace {

using sim::mode_kind;

// The next mini-batch of the shard; batches of an epoch come in a random order.
sim::batch next_batch(worker_state& st) {
  if (st.next_batch == st.batch_order.size()) {
    st.batch_rng->shuffle(st.batch_order);
    st.next_batch = 0;
  }
  auto index = st.batch_order[st.next_batch++];
  auto begin = index * st.batch_rows;
  auto count = std::min(st.batch_rows, st.shard.count - begin);
  return sim::rows_of(st.data->train, st.shard.begin + begin, count);
}

// True when `p` is newer than what the worker has of its range: a later version, or
// parameters of a server shard that restarted since.
bool newer_than(const worker_state& st, const params_msg& p) {
  auto epoch = st.epochs[p.shard];
  return p.epoch > epoch || (p.epoch == epoch && p.version > st.versions[p.shard]);
}

// Takes the range of `p` into `theta`.
void adopt(worker_state& st, const params_msg& p) {
  auto [begin, size] = st.ranges.at(p.shard);
  st.versions[p.shard] = p.version;
  st.epochs[p.shard] = p.epoch;
  st.version = st.versions[0];
  st.theta.segment(begin, size) = Eigen::Map<const sim::vector>(p.values.data(), size);
  st.fresh[p.shard] = true;
}

bool all_fresh(const worker_state& st) {
  return std::find(st.fresh.begin(), st.fresh.end(), false) == st.fresh.end();
}

// Sends each server shard its range of `g` (one push: the same seq everywhere).
void send_slices(worker_actor* self, const gradient_msg& g) {
  auto& st = self->state;
  for (std::uint32_t s = 0; s < st.uplinks.size(); ++s) {
    auto [begin, size] = st.ranges[s];
    gradient_msg slice{g.worker, st.computed_on[s].first, g.samples, g.seq, g.gradients,
                       g.incarnation, st.computed_on[s].second,
                       std::vector<double>(g.values.begin() + begin,
                                           g.values.begin() + begin + size)};
    self->send(st.uplinks[s], std::move(slice));
  }
}

void push(worker_actor* self, gradient_msg&& g) {
  auto& st = self->state;
  g.seq = ++st.pushes;
  g.incarnation = st.incarnation;
  st.report.pushed += g.gradients;
  st.report.pushes = st.pushes;
  if (auto timeout = st.scenario->network.timeout) {
    st.unanswered = g;
    self->delayed_send(self, to_timespan(*timeout), resend_atom::value, g.seq);
  }
  st.trace.emit(self, event_kind::send, server_name(0), static_cast<std::int64_t>(g.version), -1,
                message_bytes(g.values.size()));
  if (st.uplinks.size() == 1)
    self->send(st.uplinks[0], std::move(g)); // the whole vector, moved
  else
    send_slices(self, g);
}

// local_sgd: a new block of local steps starts from the parameters just received.
void begin_block(worker_state& st) {
  st.block_start = st.theta;
  st.block_steps = 0;
  st.block_samples = 0;
}

// local_sgd: one local SGD step; after H of them, push the block's model delta.
void local_step(worker_actor* self) {
  auto& st = self->state;
  const auto& tr = st.scenario->training;
  Eigen::Map<const sim::vector> g{st.pending.values.data(), st.theta.size()};
  st.theta -= tr.schedule.at(tr.learning_rate, st.version) * g;
  ++st.block_steps;
  st.block_samples += st.pending.samples;
  if (st.block_steps < tr.local_steps) {
    start_computation(self);
    return;
  }
  auto& delta = st.pending;
  delta.samples = static_cast<std::uint32_t>(st.block_samples);
  delta.gradients = st.block_steps;
  Eigen::Map<sim::vector>{delta.values.data(), st.theta.size()} = st.block_start - st.theta;
  push(self, std::move(delta));
  st.pending = gradient_msg{};
  if (all_fresh(st)) {
    // Parameters came during the block (a server restarted): a new block on them.
    begin_block(st);
    start_computation(self);
  }
}

// The computation finished: what happens next depends on the mode.
void finish_computation(worker_actor* self) {
  auto& st = self->state;
  st.computing = false;
  st.trace.emit(self, event_kind::compute_end, {}, static_cast<std::int64_t>(st.pending.version));
  const auto& tr = st.scenario->training;
  if (tr.mode == mode_kind::local_sgd)
    return local_step(self);
  if (tr.mode == mode_kind::allreduce)
    return ring_begin(self);
  if (tr.local_update) {
    Eigen::Map<const sim::vector> g{st.pending.values.data(), st.theta.size()};
    st.theta -= tr.schedule.at(tr.learning_rate, st.version) * g;
  }
  push(self, std::move(st.pending));
  st.pending = gradient_msg{};
  // Parameters that came while it computed are in `theta` already.
  if (tr.local_update || all_fresh(st))
    start_computation(self);
}

void on_params(worker_actor* self, const params_msg& p) {
  auto& st = self->state;
  ++st.report.received;
  st.trace.emit(self, event_kind::deliver, server_name(p.shard), static_cast<std::int64_t>(p.version));
  if (st.started && !newer_than(st, p))
    return; // a duplicate, or older than what it has
  const auto& tr = st.scenario->training;
  if (st.computing && tr.mode == mode_kind::ksync) {
    // A newer round began: the computation on the old one is abandoned.
    ++st.report.abandoned;
    st.computing = false;
    st.trace.emit(self, event_kind::abandon, {}, static_cast<std::int64_t>(st.pending.version));
  }
  adopt(st, p);
  if (!all_fresh(st))
    return; // the other shards' ranges are still on their way
  st.answered = st.pushes;
  if (st.computing)
    return; // taken up when the computation is pushed
  st.started = true;
  if (tr.mode == mode_kind::local_sgd)
    begin_block(st);
  start_computation(self);
}

// Sends the last push again if no parameters came since it left.
void on_resend(worker_actor* self, std::uint64_t seq) {
  auto& st = self->state;
  if (!st.unanswered || st.unanswered->seq != seq || st.answered >= seq)
    return;
  ++st.report.resends;
  st.trace.emit(self, event_kind::resend, server_name(0), static_cast<std::int64_t>(st.unanswered->version));
  if (st.uplinks.size() == 1)
    self->send(st.uplinks[0], *st.unanswered);
  else
    send_slices(self, *st.unanswered);
  self->delayed_send(self, to_timespan(*st.scenario->network.timeout), resend_atom::value, seq);
}

void report_to(worker_actor* self, const caf::actor& recorder) {
  auto& s = self->state;
  auto& r = s.report;
  r.computing = r.computed - r.pushed - r.abandoned - r.applied;
  if (s.scenario->training.mode == mode_kind::allreduce)
    r.replica.assign(s.theta.data(), s.theta.data() + s.theta.size());
  self->send(recorder, r);
}

// A fault's effect: slowed while a worker_slowed effect is in force; worker_down ends
// this worker (the injector may start a fresh one later).
void on_effect(worker_actor* self, const effect_msg& e) {
  auto& st = self->state;
  if (e.effect.kind == sim::effect_kind::worker_slowed) {
    if (e.begin)
      st.slowdowns[e.fault] = e.effect.factor;
    else
      st.slowdowns.erase(e.fault);
    return;
  }
  if (e.effect.kind != sim::effect_kind::worker_down || !e.begin)
    return;
  // A crash: the work under way is lost with the worker, which leaves for good.
  auto& r = st.report;
  r.abandoned += r.computed - r.pushed - r.abandoned - r.applied;
  ++r.crashes;
  st.trace.emit(self, event_kind::crash);
  report_to(self, st.trace.recorder);
  st.stopped = true;
  self->quit(caf::exit_reason::user_shutdown);
}

} // namespace

void start_computation(worker_actor* self) {
  auto& st = self->state;
  auto batch = next_batch(st);
  auto& g = st.pending;
  g.worker = st.id;
  g.version = st.version;
  g.samples = static_cast<std::uint32_t>(batch.rows());
  g.gradients = 1;
  g.values.resize(static_cast<std::size_t>(st.theta.size()));
  Eigen::Map<sim::vector> out{g.values.data(), st.theta.size()};
  st.model->gradient(st.theta, batch, out);
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
  auto delay = st.compute_time->sample(*st.compute_rng) * st.slowdown;
  for (const auto& [fault, factor] : st.slowdowns)
    delay *= factor;
  if (delay > 0)
    self->delayed_send(self, to_timespan(delay), computed_atom::value, id);
  else
    self->send(self, computed_atom::value, id);
}

caf::behavior worker(worker_actor* self, actor_config config) {
  auto& st = self->state;
  st.scenario = shared_scenario(config.scenario);
  const auto& scn = *st.scenario;
  st.id = config.id;
  st.incarnation = config.incarnation;
  st.data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  st.model = sim::make_model(scn.model, st.data->train.features());
  st.shard = st.data->shards.at(config.id);
  st.batch_rows = scn.training.batch_size == 0
                    ? st.shard.count
                    : std::min(scn.training.batch_size, st.shard.count);
  auto batches = (st.shard.count + st.batch_rows - 1) / st.batch_rows;
  for (std::size_t i = 0; i < batches; ++i)
    st.batch_order.push_back(i);
  st.next_batch = batches; // shuffle before the first batch
  auto who = worker_name(config.id);
  st.compute_rng.emplace(scn.seed, "compute/" + who);
  st.batch_rng.emplace(scn.seed, "batches/" + who);
  std::tie(st.compute_time, st.slowdown) = scn.compute.of_worker(config.id);
  st.trace.actor = who;
  st.trace.enabled = scn.trace.events;
  st.report.id = config.id;
  st.report.incarnation = config.incarnation;
  st.report.node = config.node.empty() ? "local" : config.node;
  auto params = static_cast<Eigen::Index>(st.model->parameters());
  st.theta = sim::vector::Zero(params);
  auto shards = static_cast<Eigen::Index>(
    scn.training.mode == mode_kind::allreduce ? 1 : scn.cluster.servers);
  for (Eigen::Index s = 0; s < shards; ++s)
    st.ranges.emplace_back(s * params / shards, (s + 1) * params / shards - s * params / shards);
  st.versions.assign(st.ranges.size(), 0);
  st.epochs.assign(st.ranges.size(), 0);
  st.fresh.assign(st.ranges.size(), false);
  st.computed_on.resize(st.ranges.size());
  return {
    [=](wiring& w) {
      self->state.uplinks = w.peers;
      self->state.uplink = w.peers.at(0);
    },
    [=](start_atom, const caf::actor& recorder) {
      self->state.trace.recorder = recorder;
      auto& s = self->state;
      s.start = self->clock().now();
      if (s.incarnation > 0) {
        // A restarted worker asks the server for the current parameters.
        s.trace.emit(self, event_kind::restart);
        for (const auto& link : s.uplinks)
          self->send(link, join_msg{s.id, s.incarnation, caf::actor_cast<caf::actor>(self)});
      } else if (s.scenario->training.mode == mode_kind::allreduce) {
        ring_start(self);
      }
    },
    [=](const effect_msg& e) {
      if (!self->state.stopped)
        on_effect(self, e);
    },
    [=](resend_atom, std::uint64_t seq) {
      if (!self->state.stopped)
        on_resend(self, seq);
    },
    [=](const params_msg& p) {
      if (!self->state.stopped)
        on_params(self, p);
    },
    [=](const chunk_msg& c) {
      if (!self->state.stopped)
        ring_receive(self, c);
    },
    [=](computed_atom, std::uint64_t id) {
      auto& s = self->state;
      if (!s.stopped && s.computing && id == s.computation)
        finish_computation(self);
    },
    [=](stop_atom, const caf::actor& recorder) {
      auto& s = self->state;
      if (s.stopped)
        return;
      s.stopped = true;
      report_to(self, recorder);
      if (s.scenario->training.mode == mode_kind::allreduce && s.id == 0) {
        s.replica.params.assign(s.theta.data(), s.theta.data() + s.theta.size());
        s.replica.version = s.version;
        s.replica.time = seconds_between(s.start, self->clock().now());
        self->send(recorder, s.replica);
      }
    },
  };
}

} // namespace psim::actors
