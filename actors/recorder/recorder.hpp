// The recorder: evaluates the parameters the servers snapshot and writes metrics.csv
// row by row (merging the shards' points), writes events.csv, and writes summary.json
// once every actor has reported after the stop. It decides no stop itself: it reports
// each row to the run_control, which applies the stop rule.
#pragma once

#include "actors/messages.hpp"
#include "actors/recorder/reports.hpp"
#include "actors/recorder/shard_rows.hpp"
#include "actors/runtime/run_control.hpp"
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/output/evaluation.hpp"
#include "sim/output/events_csv.hpp"
#include "sim/output/metrics_csv.hpp"
#include "sim/output/params_csv.hpp"
#include "sim/scenario/scenario.hpp"

#include <caf/all.hpp>

#include <memory>
#include <optional>
#include <string>

namespace psim::actors {

/// What the recorder holds between messages.
struct recorder_state {
  std::shared_ptr<run_control> control;            ///< the channel to the runtime
  std::shared_ptr<const sim::scenario> scenario;   ///< the run's scenario
  std::shared_ptr<const sim::prepared_data> data;  ///< rows to evaluate on
  std::unique_ptr<sim::model> model;               ///< evaluation model
  std::unique_ptr<sim::metrics_csv> metrics;       ///< metrics.csv
  std::unique_ptr<sim::events_csv> events;         ///< events.csv, when traced
  std::unique_ptr<sim::params_csv> params;         ///< params.csv, when traced
  caf::actor_clock::time_point start{};            ///< time 0 of the run
  std::string out_dir;                             ///< run folder
  std::optional<sim::metrics_row> last_row;        ///< latest row written
  std::optional<sim::metrics_row> loss_row;        ///< the row that met stop.loss, if any
  std::vector<double> loss_params;                 ///< the parameters of that row
  std::optional<shard_rows> rows;                  ///< points waiting for other shards
  std::size_t reports_expected = 0;                ///< see expected_reports
  run_reports reports;                             ///< reports received
  bool summarized = false;                         ///< summary.json was written

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "recorder";
};

/// The behavior of the recorder writing into `out_dir`, expecting `reports` reports;
/// it tells `control` about every row, and about the outputs being complete.
caf::behavior recorder(caf::stateful_actor<recorder_state>* self,
                       std::shared_ptr<run_control> control, std::string resolved_scenario,
                       std::string out_dir, std::size_t reports);

} // namespace psim::actors
