// The events.csv line format and its writer.
#include "sim/output/events_csv.hpp"

#include <fmt/format.h>

namespace psim::sim {

std::string events_header() {
  return "time,actor,event,peer,version,staleness,bytes\n";
}

std::string events_line(const event_row& row) {
  auto optional = [](std::int64_t x) { return x < 0 ? std::string{} : std::to_string(x); };
  return fmt::format("{},{},{},{},{},{},{}\n", row.time, row.actor, row.event, row.peer,
                     optional(row.version), optional(row.staleness),
                     row.bytes == 0 ? std::string{} : std::to_string(row.bytes));
}

events_csv::events_csv(const std::string& path) : file_(path, events_header(), false) {
}

void events_csv::write(const event_row& row) {
  file_.write(events_line(row));
}

} // namespace psim::sim
