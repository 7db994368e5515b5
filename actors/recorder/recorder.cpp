// The recorder: one metrics row per snapshot, then the summary once every actor has
// reported its counters after the stop.
#include "actors/recorder/recorder.hpp"

#include "actors/runtime/clock.hpp"
#include "actors/runtime/scenario_cache.hpp"
#include "actors/recorder/summary_builder.hpp"

#include <fmt/format.h>

#include <chrono>
#include <algorithm>
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

// Writes the row of `p` (all shards' parameters in `p.params`) and checks the
// loss-based stop conditions.
void write_row(recorder_actor* self, const metrics_point& p) {
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

// Several server shards: the row of version v is written once every shard has applied
// v, from each shard's range at the instant it did.
void on_point(recorder_actor* self, const metrics_point& p) {
  auto& st = self->state;
  auto shards = st.scenario->training.mode == sim::mode_kind::allreduce
                  ? std::size_t{1}
                  : st.scenario->cluster.servers;
  if (shards == 1)
    return write_row(self, p);
  auto& parts = st.points[p.version];
  parts.resize(shards);
  parts[p.shard] = p;
  st.latest.resize(shards);
  st.latest[p.shard] = p;
  if (std::any_of(parts.begin(), parts.end(), [](const auto& x) { return !x; }))
    return;
  metrics_point whole{0, p.version, 0, parts[0]->gradients, 0, 0, {}};
  for (const auto& part : parts) {
    whole.time = std::max(whole.time, part->time);
    whole.staleness_sum += part->staleness_sum;
    whole.staleness_count += part->staleness_count;
    whole.params.insert(whole.params.end(), part->params.begin(), part->params.end());
  }
  st.points.erase(st.points.begin(), st.points.upper_bound(p.version));
  write_row(self, whole);
}

// Several shards at the stop: a last row from each shard's latest range, if the
// shards ended at versions no complete row covers.
void write_last_row(recorder_actor* self) {
  auto& st = self->state;
  if (st.points.empty() || st.latest.empty()
      || std::any_of(st.latest.begin(), st.latest.end(), [](const auto& x) { return !x; }))
    return;
  metrics_point whole{0, st.latest[0]->version, 0, st.latest[0]->gradients, 0, 0, {}};
  for (const auto& part : st.latest) {
    whole.version = std::min(whole.version, part->version);
    whole.time = std::max(whole.time, part->time);
    whole.params.insert(whole.params.end(), part->params.begin(), part->params.end());
  }
  st.points.clear();
  if (!st.last_row || st.last_row->version != whole.version || st.last_row->time != whole.time)
    write_row(self, whole);
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

void on_report(recorder_actor* self) {
  auto& st = self->state;
  auto got = st.workers.size() + st.servers.size() + st.links.size() + (st.injector ? 1 : 0);
  if (!st.injector || got < st.reports_expected + st.injector->extra_reports)
    return;
  write_last_row(self);
  sim::write_summary(st.out_dir + "/summary.json", build_summary(st));
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
