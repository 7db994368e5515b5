// params.csv: which parameters are traced, the check of that choice, and the writer.
#include "sim/output/params_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

namespace psim::sim {

std::vector<std::size_t> traced_params(const std::vector<std::size_t>& indices,
                                       std::size_t parameters) {
  if (!indices.empty())
    return indices;
  std::vector<std::size_t> all(parameters);
  for (std::size_t i = 0; i < parameters; ++i)
    all[i] = i;
  return all;
}

std::string params_trace_problem(const std::vector<std::size_t>& indices,
                                 std::size_t parameters) {
  auto traced = indices.empty() ? parameters : indices.size();
  if (traced > max_traced_params)
    return fmt::format("found {} traced values per row ({}); allowed: at most {}; trace a "
                       "list of parameter indices instead, e.g. trace.params = [0, 1, 2]",
                       traced, indices.empty() ? "every parameter of the model" : "the list",
                       max_traced_params);
  auto outside = std::find_if(indices.begin(), indices.end(),
                              [&](std::size_t i) { return i >= parameters; });
  if (outside != indices.end())
    return fmt::format("found index {} for a model of {} parameters; allowed: indices from 0 "
                       "to {}", *outside, parameters, parameters - 1);
  return {};
}

std::string params_header(const std::vector<std::size_t>& indices) {
  std::string line = "version,time";
  for (auto i : indices)
    fmt::format_to(std::back_inserter(line), ",p{}", i);
  return line + "\n";
}

params_csv::params_csv(const std::string& path, std::vector<std::size_t> indices)
  : file_(path, params_header(indices), true), indices_(std::move(indices)) {}

void params_csv::write(std::uint64_t version, double time, const std::vector<double>& params) {
  line_.clear();
  fmt::format_to(std::back_inserter(line_), "{},{}", version, time);
  for (auto i : indices_)
    fmt::format_to(std::back_inserter(line_), ",{}", params.at(i));
  line_ += '\n';
  file_.write(line_);
}

} // namespace psim::sim
