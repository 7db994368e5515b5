// The runtime's last resort for summary.json.
#include "actors/runtime/run_end.hpp"

#include "actors/messages.hpp"
#include "actors/recorder/event_trace.hpp"

namespace psim::actors {

sim::run_summary header_summary(const sim::scenario& scn, sim::stop_reason reason,
                                double wall_s, const std::string& error) {
  sim::run_summary s;
  s.name = scn.name;
  s.seed = scn.seed;
  s.mode = sim::to_string(scn.training.mode);
  s.clock = scn.run.clock == sim::clock_kind::virtual_time ? "virtual" : "real";
  s.deterministic = scn.run.clock == sim::clock_kind::virtual_time;
  s.stopped_by = reason;
  s.wall_s = wall_s;
  s.error = error;
  return s;
}

run_outcome write_header_summary(const sim::scenario& scn, const std::string& out_dir,
                                 sim::stop_reason reason, double wall_s,
                                 const std::string& detail) {
  run_outcome outcome{reason, detail, std::nullopt, ""};
  auto summary = header_summary(scn, reason, wall_s, detail);
  try {
    sim::write_summary(out_dir + "/summary.json", summary);
    outcome.summary = std::move(summary);
  } catch (const std::exception& e) {
    outcome.error = "cannot write " + out_dir + "/summary.json: " + e.what();
  }
  return outcome;
}

std::vector<caf::actor> watch_list(const cluster& c) {
  std::vector<caf::actor> list;
  list.reserve(c.workers.size() + c.servers.size() + c.links.size() + 2);
  for (const auto* group : {&c.workers, &c.servers, &c.links})
    list.insert(list.end(), group->begin(), group->end());
  list.push_back(c.injector);
  list.push_back(c.recorder);
  return list;
}

watched_name watch_names(const cluster& c) {
  auto workers = c.workers.size();
  auto servers = c.servers.size();
  auto links = c.links.size();
  return [=](std::size_t i) -> std::string {
    if (i < workers)
      return worker_name(i);
    if ((i -= workers) < servers)
      return server_name(i);
    if ((i -= servers) < links)
      return "link " + std::to_string(i);
    return i == links ? "the fault injector" : "the recorder";
  };
}

run_outcome finished_outcome(const sim::scenario& scn, const run_control& control,
                             const std::string& out_dir) {
  auto outcome = control.outcome();
  if (outcome.summary || !outcome.error.empty())
    return outcome;
  auto written = write_header_summary(scn, out_dir, outcome.stopped_by,
                                      control.wall_seconds(), outcome.detail);
  written.detail = outcome.detail;
  return written;
}

void summarize_now(const caf::actor& recorder) {
  caf::anon_send(recorder, stop_atom::value, recorder);
}

} // namespace psim::actors
