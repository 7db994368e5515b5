// events.csv (docs/events.md): one line per traced event, stamped with the run's time.
// Opening it is checked like metrics.csv; whole lines are buffered and reach the file
// in blocks (csv_file), so a killed run leaves no torn line.
#pragma once

#include "sim/output/csv_file.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace psim::sim {

/// One line of events.csv.
struct event_row {
  double time = 0;              ///< seconds since the start
  std::string_view actor;       ///< who: "worker-3", "server-0", "worker-3->server-0"
  std::string_view event;       ///< what (an event_kind's name)
  std::string_view peer;        ///< the other side, if any
  std::int64_t version = -1;    ///< parameter version, -1 when none
  std::int64_t staleness = -1;  ///< staleness, -1 when none
  std::uint64_t bytes = 0;      ///< message size, 0 when none
};

/// The header line of events.csv, ending with '\n'.
std::string events_header();

/// The line of `row`, ending with '\n' (empty cells for the values it has none of).
std::string events_line(const event_row& row);

/// Writes events.csv.
class events_csv {
public:
  /// Creates (truncates) the file at `path` and writes the header; throws on failure.
  explicit events_csv(const std::string& path);

  /// Appends one event.
  void write(const event_row& row);

private:
  csv_file file_;
};

} // namespace psim::sim
