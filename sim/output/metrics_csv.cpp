// The column table of metrics.csv and its writer.
#include "sim/output/metrics_csv.hpp"

#include <fmt/format.h>

namespace psim::sim {

namespace {

std::string cell(const std::optional<double>& x) {
  return x ? fmt::format("{}", *x) : std::string{};
}

} // namespace

const std::vector<metrics_column>& metrics_columns() {
  using row = metrics_row;
  static const std::vector<metrics_column> columns{
    {"time", [](const row& r) { return fmt::format("{}", r.time); }},
    {"wall", [](const row& r) { return fmt::format("{}", r.wall); }},
    {"version", [](const row& r) { return fmt::format("{}", r.version); }},
    {"gradients", [](const row& r) { return fmt::format("{}", r.gradients); }},
    {"train_loss", [](const row& r) { return fmt::format("{}", r.train_loss); }},
    {"test_loss", [](const row& r) { return cell(r.test_loss); }},
    {"test_accuracy", [](const row& r) { return cell(r.test_accuracy); }},
    {"staleness_mean", [](const row& r) { return cell(r.staleness_mean); }},
  };
  return columns;
}

std::string metrics_header() {
  std::string line;
  for (const auto& column : metrics_columns())
    line.append(line.empty() ? "" : ",").append(column.name);
  return line + "\n";
}

std::string metrics_line(const metrics_row& row) {
  std::string line;
  bool first = true;
  for (const auto& column : metrics_columns()) {
    line.append(first ? "" : ",").append(column.cell(row));
    first = false;
  }
  return line + "\n";
}

metrics_csv::metrics_csv(const std::string& path) : file_(path, metrics_header(), true) {
}

void metrics_csv::write(const metrics_row& row) {
  file_.write(metrics_line(row));
}

} // namespace psim::sim
