// The end of a run whatever ended it: the recorder is asked for a summary of what came,
// and when it cannot give one the runtime writes a summary.json of the run's header,
// so that every run leaves a summary with its reason.
#pragma once

#include "actors/cluster/cluster.hpp"
#include "actors/runtime/failure_watch.hpp"
#include "actors/runtime/run_control.hpp"
#include "sim/output/summary.hpp"
#include "sim/scenario/scenario.hpp"

#include <caf/all.hpp>

#include <string>
#include <vector>

namespace psim::actors {

/// The summary of a run that ended before its actors could report: the scenario's
/// header, `reason`, `wall_s` and `error`.
sim::run_summary header_summary(const sim::scenario& scn, sim::stop_reason reason,
                                double wall_s, const std::string& error);

/// Writes header_summary(...) to `out_dir`/summary.json and returns the outcome of a run
/// that ended so; a file that cannot be written leaves the outcome's error set.
run_outcome write_header_summary(const sim::scenario& scn, const std::string& out_dir,
                                 sim::stop_reason reason, double wall_s,
                                 const std::string& detail);

/// The actors of `c` for the failure watch: workers, servers, links, the fault
/// injector, the recorder.
std::vector<caf::actor> watch_list(const cluster& c);

/// The names of watch_list(`c`)'s actors, by position.
watched_name watch_names(const cluster& c);

/// The outcome of a run whose actors are done: the control's, or, when the recorder
/// wrote no summary, that of write_header_summary.
run_outcome finished_outcome(const sim::scenario& scn, const run_control& control,
                             const std::string& out_dir);

/// Asks `recorder` to write the summary from the reports that came (the others will
/// not come).
void summarize_now(const caf::actor& recorder);

} // namespace psim::actors
