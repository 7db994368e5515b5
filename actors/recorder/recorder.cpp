// The recorder: one metrics row per whole point, events as they come, then the summary
// once every actor has reported its counters after the stop.
#include "actors/recorder/recorder.hpp"

#include "actors/recorder/summary_builder.hpp"
#include "actors/runtime/clock.hpp"
#include "actors/runtime/failure_watch.hpp"
#include "actors/runtime/scenario_cache.hpp"
#include "sim/output/summary.hpp"

#include <fmt/format.h>

#include <exception>

namespace psim::actors {

namespace {

using recorder_actor = caf::stateful_actor<recorder_state>;

// Writes the row of `p` (all shards' parameters in `p.params`) and reports it.
void write_row(recorder_actor* self, const metrics_point& p) {
  auto& st = self->state;
  Eigen::Map<const sim::vector> theta{p.params.data(),
                                      static_cast<Eigen::Index>(p.params.size())};
  auto quality = sim::evaluate(*st.model, *st.data, sim::vector{theta});
  sim::metrics_row row;
  row.time = p.time;
  row.wall = st.control->wall_seconds();
  row.version = p.version;
  row.gradients = p.gradients;
  row.train_loss = quality.train_loss;
  row.test_loss = quality.test_loss;
  row.test_accuracy = quality.test_accuracy;
  if (p.staleness_count > 0)
    row.staleness_mean = p.staleness_sum / static_cast<double>(p.staleness_count);
  st.metrics->write(row);
  if (st.params)
    st.params->write(row.version, row.time, p.params);
  st.last_row = row;
  st.control->report_row(progress{row.version, row.time, row.train_loss});
  if (st.control->stop_requested() && st.control->outcome().stopped_by == sim::stop_reason::loss) {
    // The run ends at this row: later points of the same instant are not written.
    st.loss_row = row;
    st.loss_params = p.params;
  }
}

void on_point(recorder_actor* self, const metrics_point& p) {
  if (self->state.loss_row)
    return;
  if (auto whole = self->state.rows->add(p))
    write_row(self, *whole);
}

// A loss stop reports the row that met it: its version, time and parameters.
void as_loss_row(const recorder_state& st, sim::run_summary& summary) {
  summary.version = st.loss_row->version;
  summary.time_s = st.loss_row->time;
  if (!summary.params.empty()) // allreduce: the workers' replicas hold the parameters
    summary.params = st.loss_params;
}

void on_event(recorder_actor* self, const event_msg& e) {
  auto& st = self->state;
  if (st.events)
    st.events->write(sim::event_row{seconds_between(st.start, self->clock().now()), e.actor,
                                    e.event, e.peer, e.version, e.staleness, e.bytes});
}

// Writes summary.json; a summary that cannot be built is written without the reports'
// part, and the error goes to the run's outcome instead of ending the actor.
void write_summary(recorder_actor* self) {
  auto& st = self->state;
  std::optional<sim::evaluation> last;
  if (st.last_row)
    last = sim::evaluation{st.last_row->train_loss, st.last_row->test_loss,
                           st.last_row->test_accuracy};
  summary_context context{*st.scenario, *st.data, st.control->outcome().stopped_by,
                          st.control->wall_seconds(), last};
  std::string error;
  sim::run_summary summary;
  try {
    summary = build_summary(context, std::move(st.reports)); // written once: taken apart
    if (st.loss_row)
      as_loss_row(st, summary);
  } catch (const std::exception& e) {
    error = fmt::format("cannot build the summary: {}", e.what());
    summary = summary_header(context);
  }
  auto outcome = st.control->outcome();
  if (outcome.stopped_by == sim::stop_reason::failed)
    summary.error = outcome.detail;
  std::optional<sim::run_summary> written;
  try {
    sim::write_summary(st.out_dir + "/summary.json", summary);
    written = std::move(summary);
  } catch (const std::exception& e) {
    error += fmt::format("{}cannot write {}/summary.json: {}", error.empty() ? "" : "; ",
                         st.out_dir, e.what());
  }
  st.control->finish(std::move(written), error);
}

// The last row, closing the files, the summary (once).
void summarize(recorder_actor* self) {
  auto& st = self->state;
  if (st.summarized)
    return;
  st.summarized = true;
  if (auto whole = st.rows->last(); whole && !st.loss_row)
    if (!st.last_row || st.last_row->version != whole->version
        || st.last_row->time != whole->time)
      write_row(self, *whole);
  st.metrics.reset();
  st.events.reset();
  st.params.reset();
  write_summary(self);
}

// Once every report came, the summary.
void on_report(recorder_actor* self) {
  if (self->state.reports.complete(self->state.reports_expected))
    summarize(self);
}

// Opens the output files; false (and the run failed) when one cannot be written.
bool open_outputs(recorder_actor* self, const std::string& out_dir) {
  auto& st = self->state;
  try {
    st.metrics = std::make_unique<sim::metrics_csv>(out_dir + "/metrics.csv");
    if (st.scenario->trace.events)
      st.events = std::make_unique<sim::events_csv>(out_dir + "/events.csv");
    if (st.scenario->trace.params)
      st.params = std::make_unique<sim::params_csv>(
        out_dir + "/params.csv",
        sim::traced_params(st.scenario->trace.param_indices, st.model->parameters()));
    return true;
  } catch (const std::exception& e) {
    st.control->fail(e.what());
    return false;
  }
}

} // namespace

caf::behavior recorder(recorder_actor* self, std::shared_ptr<run_control> control,
                       std::string resolved_scenario, std::string out_dir,
                       std::size_t reports) {
  guard_exceptions(self, "recorder");
  auto& st = self->state;
  st.control = std::move(control);
  st.scenario = shared_scenario(resolved_scenario);
  const auto& scn = *st.scenario;
  st.data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  st.model = sim::make_model(scn.model, st.data->train.features());
  st.rows.emplace(scn.training.mode == sim::mode_kind::allreduce ? 1 : scn.cluster.servers);
  st.out_dir = std::move(out_dir);
  st.reports_expected = reports;
  // Room for every report up front: a vector that doubles would hold up to twice them.
  st.reports.workers.reserve(scn.cluster.workers);
  if (!open_outputs(self, st.out_dir)) {
    self->quit(caf::sec::runtime_error);
    return {};
  }
  return {
    [=](start_atom, const caf::actor&) { self->state.start = self->clock().now(); },
    [=](const metrics_point& p) { on_point(self, p); },
    [=](const event_msg& e) { on_event(self, e); },
    // allreduce: a replica has applied the last update.
    [=](halted_atom, std::uint32_t) { self->state.control->report_halt(); },
    [=](stalled_atom, const std::string& detail) {
      self->state.control->request_stop(sim::stop_reason::stalled, detail);
    },
    // The runtime: the reports that have not come will not come.
    [=](stop_atom, const caf::actor&) { summarize(self); },
    [=](const worker_report& r) {
      self->state.reports.workers.push_back(r);
      on_report(self);
    },
    [=](server_report& r) { // the message's only holder: taken without a copy (its
                            // staleness histogram can hold millions of counts)
      self->state.reports.servers.push_back(std::move(r));
      on_report(self);
    },
    [=](const link_report& r) {
      self->state.reports.links.add(r);
      on_report(self);
    },
    [=](const injector_report& r) {
      self->state.reports.injector = r;
      on_report(self);
    },
  };
}

} // namespace psim::actors
