// The recorder: one metrics row per snapshot, then the summary once every actor has
// reported its counters after the stop.
#include "actors/recorder.hpp"

#include "actors/clock.hpp"
#include "actors/scenario_cache.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

namespace psim::actors {

namespace {

using recorder_actor = caf::stateful_actor<recorder_state>;

double wall_seconds(const run_control& control) {
  auto elapsed = std::chrono::steady_clock::now() - control.wall_start;
  return std::chrono::duration<double>(elapsed).count();
}

void on_point(recorder_actor* self, const metrics_point& p) {
  auto& st = self->state;
  Eigen::Map<const sim::vector> theta{p.params.data(),
                                      static_cast<Eigen::Index>(p.params.size())};
  sim::vector params = theta;
  sim::metrics_row row;
  row.time = p.time;
  row.wall = wall_seconds(*st.control);
  row.version = p.version;
  row.gradients = p.gradients;
  row.train_loss = st.model->loss(params, sim::all_rows(st.data->train));
  if (st.data->test.rows() > 0) {
    auto test = sim::all_rows(st.data->test);
    row.test_loss = st.model->loss(params, test);
    auto accuracy = st.model->accuracy(params, test);
    if (accuracy >= 0)
      row.test_accuracy = accuracy;
  }
  if (p.staleness_count > 0)
    row.staleness_mean = p.staleness_sum / static_cast<double>(p.staleness_count);
  st.metrics->write(row);
  if (!st.last_row)
    st.initial_loss = row.train_loss;
  st.last_row = row;
  st.control->publish(progress{row.version, row.time, row.train_loss});
  const auto& stop = st.scenario->run.stop;
  if (!std::isfinite(row.train_loss)
      || (st.initial_loss > 0 && row.train_loss > 1000 * st.initial_loss))
    st.control->request_stop("diverged", "the train loss is not finite or grew a "
                                         "thousandfold; try a smaller learning_rate");
  else if (stop.loss && row.train_loss <= *stop.loss)
    st.control->request_stop("loss");
  else if (stop.updates && row.version >= *stop.updates
           && st.scenario->training.mode != sim::mode_kind::allreduce)
    st.control->request_stop("updates");
}

void on_event(recorder_actor* self, const event_msg& e) {
  auto& st = self->state;
  if (st.events == nullptr)
    return;
  auto optional = [](std::int64_t x) { return x < 0 ? std::string{} : std::to_string(x); };
  fmt::print(st.events, "{},{},{},{},{},{},{}\n",
             seconds_between(st.start, self->clock().now()), e.actor, e.event, e.peer,
             optional(e.version), optional(e.staleness),
             e.bytes == 0 ? std::string{} : std::to_string(e.bytes));
}

// Pushes (worker, incarnation, seq) that reached the server, from its report.
std::map<std::pair<std::uint64_t, std::uint64_t>,
         std::pair<std::uint64_t, std::set<std::uint64_t>>>
received_pushes(const server_report& server) {
  std::map<std::pair<std::uint64_t, std::uint64_t>,
           std::pair<std::uint64_t, std::set<std::uint64_t>>>
    result;
  const auto& x = server.seen;
  for (std::size_t i = 0; i + 2 < x.size();) {
    auto& entry = result[{x[i], x[i + 1]}];
    entry.first = x[i + 2];
    for (i += 3; i < x.size() && x[i] != 0; ++i)
      entry.second.insert(x[i]);
    ++i; // the 0 that ends the gaps
  }
  return result;
}

// Fills the gradient, message and worker counters. Every push is either received by
// the server, on the wire (a copy on a link or deferred by a busy server) at the
// stop, or lost.
void count_gradients(const recorder_state& st, sim::run_summary& s) {
  auto& g = s.gradients;
  const auto& tr = st.scenario->training;
  std::uint64_t per_push = tr.mode == sim::mode_kind::local_sgd ? tr.local_steps : 1;
  std::set<std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>> on_wire;
  std::map<std::pair<std::uint64_t, std::uint64_t>,
           std::pair<std::uint64_t, std::set<std::uint64_t>>>
    received;
  std::uint64_t pending = 0;
  for (const auto& sv : st.servers) {
    s.version = sv.version;
    s.time_s = sv.time;
    s.params = sv.params;
    g.applied += sv.applied;
    g.discarded_stale += sv.discarded_stale;
    g.lost += sv.lost;
    pending += sv.pending;
    s.messages.delivered += sv.received + sv.duplicates;
    s.messages.ignored += sv.duplicates;
    s.staleness_histogram = sv.staleness_histogram;
    received = received_pushes(sv);
    for (std::size_t i = 0; i + 2 < sv.deferred.size(); i += 3)
      on_wire.emplace(sv.deferred[i], sv.deferred[i + 1], sv.deferred[i + 2]);
  }
  for (const auto& l : st.links) {
    s.messages.sent += l.sent;
    s.messages.dropped += l.dropped;
    s.messages.duplicated += l.duplicated;
    s.messages.bytes += l.bytes;
    for (std::size_t i = 0; i + 2 < l.in_transit.size(); i += 3)
      on_wire.emplace(l.in_transit[i], l.in_transit[i + 1], l.in_transit[i + 2]);
  }
  std::uint64_t computing = 0, travelling = 0;
  std::map<std::uint32_t, sim::worker_summary> workers;
  for (const auto& w : st.workers) {
    g.computed += w.computed;
    g.applied += w.applied;
    g.abandoned += w.abandoned;
    computing += w.computing;
    s.messages.delivered += w.received;
    s.messages.resent += w.resends;
    auto& summary = workers[w.id];
    summary.id = w.id;
    summary.gradients += w.pushed + w.applied;
    summary.crashes += w.crashes;
    summary.node = w.node;
    summary.params = w.replica;
    auto it = received.find({w.id, w.incarnation});
    std::uint64_t highest = it == received.end() ? 0 : it->second.first;
    auto unresolved = [&](std::uint64_t seq) {
      if (on_wire.count({w.id, w.incarnation, seq}) > 0)
        travelling += per_push;
      else
        g.lost += per_push;
    };
    if (it != received.end())
      for (auto seq : it->second.second)
        unresolved(seq);
    for (auto seq = highest + 1; seq <= w.pushes; ++seq)
      unresolved(seq);
  }
  for (auto& [id, summary] : workers)
    s.workers.push_back(std::move(summary));
  g.in_flight = computing + travelling + pending;
}

sim::run_summary make_summary(const recorder_state& st) {
  const auto& scn = *st.scenario;
  sim::run_summary s;
  s.name = scn.name;
  s.seed = scn.seed;
  s.mode = sim::to_string(scn.training.mode);
  s.clock = scn.run.clock == sim::clock_kind::virtual_time ? "virtual" : "real";
  s.deterministic = scn.run.clock == sim::clock_kind::virtual_time;
  s.stopped_by = st.control->stopped_by();
  s.wall_s = wall_seconds(*st.control);
  if (st.last_row) {
    s.train_loss = st.last_row->train_loss;
    s.test_loss = st.last_row->test_loss;
    s.test_accuracy = st.last_row->test_accuracy;
  }
  count_gradients(st, s);
  if (st.injector)
    for (const auto& f : st.injector->faults) {
      sim::fault_summary entry{f.at, f.kind, f.target, {}, {}};
      if (f.until >= 0)
        entry.until = f.until;
      if (f.kind == "server_crash" && !st.servers.empty())
        entry.rolled_back = st.servers.front().rolled_back;
      s.faults.push_back(entry);
    }
  return s;
}

void on_report(recorder_actor* self) {
  auto& st = self->state;
  auto got = st.workers.size() + st.servers.size() + st.links.size() + (st.injector ? 1 : 0);
  if (!st.injector || got < st.reports_expected + st.injector->extra_reports)
    return;
  sim::write_summary(st.out_dir + "/summary.json", make_summary(st));
  st.metrics.reset();
  if (st.events != nullptr) {
    std::fclose(st.events);
    st.events = nullptr;
  }
  st.control->finish();
}

} // namespace

caf::behavior recorder(recorder_actor* self, std::shared_ptr<run_control> control,
                       std::string resolved_scenario, std::string out_dir,
                       std::size_t reports) {
  auto& st = self->state;
  st.control = std::move(control);
  st.scenario = shared_scenario(resolved_scenario);
  const auto& scn = *st.scenario;
  st.data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  st.model = sim::make_model(scn.model, st.data->train.features());
  st.metrics = std::make_unique<sim::metrics_writer>(out_dir + "/metrics.csv");
  if (scn.trace.events) {
    st.events = std::fopen((out_dir + "/events.csv").c_str(), "w");
    if (st.events != nullptr)
      std::fputs("time,actor,event,peer,version,staleness,bytes\n", st.events);
  }
  st.out_dir = std::move(out_dir);
  st.reports_expected = reports;
  return {
    [=](start_atom, const caf::actor&) { self->state.start = self->clock().now(); },
    [=](const metrics_point& p) { on_point(self, p); },
    [=](const event_msg& e) { on_event(self, e); },
    [=](halted_atom, std::uint32_t) {
      // allreduce: the run ends when every replica has applied the last update.
      auto& s = self->state;
      if (++s.replicas_halted == s.scenario->cluster.workers)
        s.control->request_stop("updates");
    },
    [=](const worker_report& r) {
      self->state.workers.push_back(r);
      on_report(self);
    },
    [=](const server_report& r) {
      self->state.servers.push_back(r);
      on_report(self);
    },
    [=](const injector_report& r) {
      self->state.injector = r;
      on_report(self);
    },
    [=](stalled_atom, const std::string& detail) {
      self->state.control->request_stop("stalled", detail);
    },
    [=](const link_report& r) {
      self->state.links.push_back(r);
      on_report(self);
    },
  };
}

} // namespace psim::actors
