// Turns the reports every actor sends at the stop into summary.json's content.
#pragma once

#include "actors/recorder/reports.hpp"
#include "sim/data/data.hpp"
#include "sim/output/evaluation.hpp"
#include "sim/output/stop_reason.hpp"
#include "sim/output/summary.hpp"
#include "sim/scenario/scenario.hpp"

#include <optional>

namespace psim::actors {

/// What the summary states besides the reports.
struct summary_context {
  const sim::scenario& scenario;         ///< the run's scenario
  const sim::prepared_data& data;        ///< its data (rows and labels per shard)
  sim::stop_reason stopped_by;           ///< why the run stopped
  double wall_s = 0;                     ///< wall-clock seconds of the run
  std::optional<sim::evaluation> last;   ///< evaluation of the last metrics row, if any
};

/// The part of the summary that needs no report: the run, its stop, its final losses.
sim::run_summary summary_header(const summary_context& context);

/// The whole summary of a run whose reports are `reports` (all of them), which it takes
/// apart: the servers' staleness histograms move into the summary.
sim::run_summary build_summary(const summary_context& context, run_reports reports);

/// True when the fault record target `targets` ("server-1, server-10") names server
/// shard `shard` exactly.
bool names_shard(const std::string& targets, std::uint32_t shard);

} // namespace psim::actors
