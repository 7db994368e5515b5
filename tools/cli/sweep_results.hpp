// What a sweep's runs gave: read back from their folders, written as sweep.csv (one
// row per run) and sweep.json (how the sweep was defined), summed up as a table.
#pragma once

#include "tools/cli/sweep_grid.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace psim::cli {

/// What one run folder holds.
struct run_result {
  bool finished = false;         ///< summary.json written, and the run not interrupted
  nlohmann::json summary;        ///< its summary.json
  std::string time_to_target;    ///< time of the first row at or below the target ("" never)
  std::string version_to_target; ///< version of that row ("" never)
  std::string best_train_loss;   ///< the lowest train_loss of metrics.csv ("" none)
  std::string tail_train_loss;   ///< the mean train_loss of its last `tail` rows ("" none)
};

/// True when the run diverged or stalled: its numbers are not averaged with others.
bool failed_run(const run_result& r);

/// Reads the run in `dir`: its summary, and from metrics.csv the best train_loss,
/// the mean of the last `tail` rows' and, with a target loss, when train_loss first
/// reached it (so to the resolution of eval_every).
run_result read_run(const std::string& dir, std::optional<double> target_loss, int tail = 5);

/// The definition of a sweep, as sweep.json records it.
struct sweep_definition {
  std::string scenario;                ///< scenario file
  std::string name;                    ///< scenario name
  std::vector<varied_key> keys;        ///< --vary keys
  std::vector<std::string> overrides;  ///< --set options common to every run
  int repeat = 1;                      ///< seeds per grid point
  std::uint64_t first_seed = 0;        ///< the first of them
  std::optional<double> target_loss;   ///< --target-loss
  int tail = 5;                        ///< --tail: rows averaged into train_loss_tail
};

/// Writes sweep.csv and sweep.json into `dir`: a row per finished run, in grid order;
/// when a run ran under the real clock, with its lag's p99 and verdict.
void write_sweep_files(const std::string& dir, const sweep_definition& sweep,
                       const std::vector<grid_point>& points,
                       const std::vector<run_result>& results);

/// The table: per grid point, the mean and standard deviation over its seeds of the
/// final train loss (and of the time to the target), diverged and stalled runs left
/// out and counted ("2/3 diverged"); under the real clock, how many fell behind.
std::string sweep_table(const sweep_definition& sweep, const std::vector<grid_point>& points,
                        const std::vector<run_result>& results);

/// Prints sweep_table().
void print_sweep_table(const sweep_definition& sweep, const std::vector<grid_point>& points,
                       const std::vector<run_result>& results);

} // namespace psim::cli
