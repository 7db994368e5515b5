// A CSV file a run appends to line by line (metrics.csv, events.csv): opening it is
// checked, a failure is an error that says which file and why, and the file only ever
// receives whole lines, so a run killed between two writes leaves no torn last line. (A
// SIGKILL inside the kernel's copy of a block can cut the block at a page boundary: the
// kernel checks for fatal signals between pages. No writer can prevent that.)
#pragma once

#include <string>

namespace psim::sim {

/// An output file written line by line, closed when destroyed.
class csv_file {
public:
  /// Creates (truncates) `path` and writes `header`; throws std::runtime_error on failure.
  /// With `flush_each_line`, every line reaches the file at once; otherwise whole lines
  /// are buffered and reach it together, in one write().
  csv_file(const std::string& path, const std::string& header, bool flush_each_line);
  ~csv_file();
  csv_file(const csv_file&) = delete;
  csv_file& operator=(const csv_file&) = delete;

  /// Appends `line` (which ends with '\n').
  void write(const std::string& line);

private:
  /// Hands `text` (whole lines) to the file in one write() where the kernel allows.
  void write_out(const std::string& text);

  int fd_;
  bool flush_each_line_;
  std::string pending_; ///< whole lines not yet written
};

} // namespace psim::sim
