// A CSV file a run appends to line by line (metrics.csv, events.csv): opening it is
// checked, and a failure is an error that says which file and why.
#pragma once

#include <cstdio>
#include <string>

namespace psim::sim {

/// An output file written line by line, closed when destroyed.
class csv_file {
public:
  /// Creates (truncates) `path` and writes `header`; throws std::runtime_error on failure.
  /// With `flush_each_line`, every line reaches the file at once.
  csv_file(const std::string& path, const std::string& header, bool flush_each_line);
  ~csv_file();
  csv_file(const csv_file&) = delete;
  csv_file& operator=(const csv_file&) = delete;

  /// Appends `line` (which ends with '\n').
  void write(const std::string& line);

private:
  std::FILE* file_;
  bool flush_each_line_;
};

} // namespace psim::sim
