// params.csv (trace.params): the parameters at every metrics row, one line per row
// (version, time, then the traced parameters), for analyses that need the trajectory.
#pragma once

#include "sim/output/csv_file.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace psim::sim {

/// The most parameter values one line of params.csv may hold.
inline constexpr std::size_t max_traced_params = 10000;

/// The parameters params.csv holds: `indices`, or all `parameters` when it is empty.
std::vector<std::size_t> traced_params(const std::vector<std::size_t>& indices,
                                       std::size_t parameters);

/// What is wrong with tracing `indices` (empty = all) of a model of `parameters`
/// parameters, in the words of a scenario error; empty when nothing is.
std::string params_trace_problem(const std::vector<std::size_t>& indices,
                                 std::size_t parameters);

/// The header line of params.csv for the parameters `indices`, ending with '\n'.
std::string params_header(const std::vector<std::size_t>& indices);

/// Writes params.csv, flushing every line so that a run stopped early keeps them.
class params_csv {
public:
  /// Creates (truncates) the file at `path` for the parameters `indices` and writes the
  /// header; throws on failure.
  params_csv(const std::string& path, std::vector<std::size_t> indices);

  /// Appends the line of `version` at `time` with the traced values of `params`.
  void write(std::uint64_t version, double time, const std::vector<double>& params);

private:
  csv_file file_;
  std::vector<std::size_t> indices_;
  std::string line_; // reused for every line
};

} // namespace psim::sim
