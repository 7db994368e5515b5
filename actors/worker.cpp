// The worker: on parameters, it computes a gradient at once (real arithmetic) and
// releases it after a modeled compute time drawn from its own random stream.
#include "actors/worker.hpp"

#include "actors/clock.hpp"
#include "actors/scenario_cache.hpp"

#include <fmt/format.h>

namespace psim::actors {

namespace {

using worker_actor = caf::stateful_actor<worker_state>;

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

// Starts a computation on `st.theta`: the gradient now, its release after a sample.
void start_computation(worker_actor* self) {
  auto& st = self->state;
  auto batch = next_batch(st);
  auto& g = st.pending;
  g.worker = st.report.id;
  g.version = st.version;
  g.samples = static_cast<std::uint32_t>(batch.rows());
  g.seq = ++st.report.computed;
  g.values.resize(static_cast<std::size_t>(st.theta.size()));
  Eigen::Map<sim::vector> out{g.values.data(), st.theta.size()};
  st.model->gradient(st.theta, batch, out);
  st.computing = true;
  auto delay = st.scenario->compute.time.sample(*st.compute_rng);
  if (delay > 0)
    self->delayed_send(self, to_timespan(delay), computed_atom::value, g.seq);
  else
    self->send(self, computed_atom::value, g.seq);
}

void adopt(worker_state& st, const params_msg& p) {
  st.version = p.version;
  st.theta = Eigen::Map<const sim::vector>(p.values.data(),
                                           static_cast<Eigen::Index>(p.values.size()));
}

// The computation finished: push it, and with local updates go on at once.
void finish_computation(worker_actor* self) {
  auto& st = self->state;
  st.computing = false;
  const auto& tr = st.scenario->training;
  if (tr.local_update) {
    Eigen::Map<const sim::vector> g{st.pending.values.data(), st.theta.size()};
    st.theta -= tr.learning_rate * g;
  }
  ++st.report.pushed;
  self->send(st.uplink, std::move(st.pending));
  st.pending = gradient_msg{};
  if (st.newer) {
    adopt(st, *st.newer);
    st.newer.reset();
    start_computation(self);
  } else if (tr.local_update) {
    start_computation(self);
  }
}

} // namespace

caf::behavior worker(worker_actor* self, actor_config config) {
  auto& st = self->state;
  st.scenario = shared_scenario(config.scenario);
  const auto& scn = *st.scenario;
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
  auto who = fmt::format("worker-{}", config.id);
  st.compute_rng.emplace(scn.seed, "compute/" + who);
  st.batch_rng.emplace(scn.seed, "batches/" + who);
  st.report.id = config.id;
  st.report.node = "local";
  return {
    [=](wiring& w) { self->state.uplink = w.peers.at(0); },
    [=](const params_msg& p) {
      auto& s = self->state;
      if (s.stopped)
        return;
      ++s.report.received;
      if (s.started && p.version <= s.version)
        return; // a duplicate, or older than what it has
      if (s.computing) {
        // Keep the newest parameters for the next computation.
        if (!s.newer || s.newer->version < p.version)
          s.newer = p;
        return;
      }
      s.started = true;
      adopt(s, p);
      start_computation(self);
    },
    [=](computed_atom, std::uint64_t seq) {
      auto& s = self->state;
      if (!s.stopped && s.computing && seq == s.pending.seq)
        finish_computation(self);
    },
    [=](stop_atom, const caf::actor& recorder) {
      auto& s = self->state;
      s.stopped = true;
      s.report.computing = s.computing ? 1 : 0;
      self->send(recorder, s.report);
    },
  };
}

} // namespace psim::actors
