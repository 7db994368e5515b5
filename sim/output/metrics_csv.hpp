// metrics.csv (DESIGN §6): one row per evaluated version, from ONE column table (name
// and how to print the cell), so the header and the rows cannot drift apart.
#pragma once

#include "sim/output/csv_file.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psim::sim {

/// One row of metrics.csv.
struct metrics_row {
  double time = 0;                      ///< seconds since the start (virtual or real)
  double wall = 0;                      ///< wall-clock seconds since the start
  std::uint64_t version = 0;            ///< parameter version the row describes
  std::uint64_t gradients = 0;          ///< gradients applied so far
  double train_loss = 0;                ///< loss on the training rows
  std::optional<double> test_loss;      ///< loss on the test rows, if any
  std::optional<double> test_accuracy;  ///< accuracy on the test rows, if defined
  std::optional<double> staleness_mean; ///< mean staleness since the previous row
};

/// One column of metrics.csv: its header name and its cell of a row.
struct metrics_column {
  std::string_view name;                  ///< header name
  std::string (*cell)(const metrics_row&); ///< the cell (shortest round-trip; "" = none)
};

/// Every column, in file order: add a column here and nowhere else.
const std::vector<metrics_column>& metrics_columns();

/// The header line, ending with '\n'.
std::string metrics_header();

/// The line of `row`, ending with '\n'.
std::string metrics_line(const metrics_row& row);

/// Writes metrics.csv, flushing every row so that a run stopped early keeps them.
class metrics_csv {
public:
  /// Creates (truncates) the file at `path` and writes the header; throws on failure.
  explicit metrics_csv(const std::string& path);

  /// Appends one row.
  void write(const metrics_row& row);

private:
  csv_file file_;
};

} // namespace psim::sim
