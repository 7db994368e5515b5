// The recorder: one metrics row per snapshot, then the summary once every actor has
// reported its counters after the stop.
#include "actors/recorder.hpp"

#include "actors/clock.hpp"
#include "actors/scenario_cache.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

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
  auto& g = s.gradients;
  std::uint64_t computing = 0, pushed = 0, worker_received = 0, server_received = 0;
  std::uint64_t server_gradients = 0;
  for (const auto& w : st.workers) {
    g.computed += w.computed;
    g.applied += w.applied;
    g.abandoned += w.abandoned;
    computing += w.computing;
    pushed += w.pushed;
    worker_received += w.received;
    s.workers.push_back(
      sim::worker_summary{w.id, w.pushed + w.applied, w.crashes, w.node, w.replica});
  }
  std::sort(s.workers.begin(), s.workers.end(),
            [](const auto& x, const auto& y) { return x.id < y.id; });
  std::uint64_t pending = 0;
  for (const auto& sv : st.servers) {
    s.version = sv.version;
    s.time_s = sv.time;
    s.params = sv.params;
    g.applied += sv.applied;
    g.discarded_stale += sv.discarded_stale;
    pending += sv.pending;
    server_received += sv.received;
    server_gradients += sv.received_gradients;
    s.messages.delivered += sv.duplicates;
    s.staleness_histogram = sv.staleness_histogram;
  }
  for (const auto& l : st.links) {
    g.lost += l.gradients_dropped;
    s.messages.sent += l.sent;
    s.messages.dropped += l.dropped;
    s.messages.duplicated += l.duplicated;
    s.messages.bytes += l.bytes;
  }
  s.messages.delivered += worker_received + server_received;
  // Gradients on the wire: pushed, neither lost nor received.
  auto on_wire = pushed - g.lost - server_gradients;
  g.in_flight = computing + on_wire + pending;
  return s;
}

void on_report(recorder_actor* self) {
  auto& st = self->state;
  auto got = st.workers.size() + st.servers.size() + st.links.size();
  if (got < st.reports_expected)
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
    [=](const link_report& r) {
      self->state.links.push_back(r);
      on_report(self);
    },
  };
}

} // namespace psim::actors
