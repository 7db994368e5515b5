// The recorder: evaluates the parameters the server snapshots, writes metrics.csv row
// by row, watches the loss-based stop conditions, and writes summary.json at the end.
#pragma once

#include "actors/messages.hpp"
#include "actors/runtime/run_control.hpp"
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/output/trace.hpp"

#include <caf/all.hpp>

#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace psim::actors {

/// What the recorder holds between messages.
struct recorder_state {
  std::shared_ptr<run_control> control;            ///< shared with the runtime
  std::shared_ptr<const sim::scenario> scenario;   ///< the run's scenario
  std::shared_ptr<const sim::prepared_data> data;  ///< rows to evaluate on
  std::unique_ptr<sim::model> model;               ///< evaluation model
  std::unique_ptr<sim::metrics_writer> metrics;    ///< metrics.csv
  std::FILE* events = nullptr;                     ///< events.csv, when traced
  caf::actor_clock::time_point start{};            ///< time 0 of the run
  std::string out_dir;                             ///< run folder
  std::optional<sim::metrics_row> last_row;        ///< latest row written
  double initial_loss = 0;                         ///< loss of version 0
  std::size_t reports_expected = 0;                ///< workers + servers + links
  std::size_t replicas_halted = 0;                 ///< allreduce: replicas at the budget
  std::vector<worker_report> workers;              ///< reports received
  std::vector<server_report> servers;              ///< reports received
  std::vector<link_report> links;                  ///< reports received
  std::optional<injector_report> injector;         ///< the fault injector's report
  std::map<std::uint64_t, std::vector<std::optional<metrics_point>>> points; ///< several
                                                   ///< shards: points of incomplete rows
  std::vector<std::optional<metrics_point>> latest; ///< several shards: latest point each

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "recorder";
};

/// The behavior of the recorder writing into `out_dir`, expecting `reports` reports.
caf::behavior recorder(caf::stateful_actor<recorder_state>* self,
                       std::shared_ptr<run_control> control, std::string resolved_scenario,
                       std::string out_dir, std::size_t reports);

} // namespace psim::actors
