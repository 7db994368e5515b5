// Test support: runs a scenario given as TOML text in-process under its clock and
// returns the run folder; parses events.csv.
#pragma once

#include "actors/runtime/runtime.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/support/run_files.hpp"

#include <sstream>
#include <string>
#include <vector>

namespace psim::test {

/// Runs `toml` with `overrides` in a fresh folder; returns the folder.
inline std::string run_text(const std::string& toml,
                            const std::vector<std::string>& overrides = {}) {
  auto scn = sim::parse_scenario(toml, "test.toml", overrides);
  auto dir = temp_folder("run");
  actors::run_scenario(scn, actors::run_options{dir, false});
  return dir;
}

/// One row of events.csv.
struct event_row {
  double time = 0;       ///< seconds
  std::string actor;     ///< who
  std::string event;     ///< what
  std::string peer;      ///< the other side
  long long version = -1;   ///< version, -1 if empty
  long long staleness = -1; ///< staleness, -1 if empty
};

/// events.csv of `dir`, in file order.
inline std::vector<event_row> read_events(const std::string& dir) {
  std::istringstream in(read_text(dir + "/events.csv"));
  std::string line;
  std::vector<event_row> rows;
  std::getline(in, line);
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream s(line + ",");
    while (std::getline(s, cell, ','))
      cells.push_back(cell);
    event_row r;
    r.time = std::stod(cells.at(0));
    r.actor = cells.at(1);
    r.event = cells.at(2);
    r.peer = cells.at(3);
    r.version = cells.at(4).empty() ? -1 : std::stoll(cells[4]);
    r.staleness = cells.at(5).empty() ? -1 : std::stoll(cells[5]);
    rows.push_back(r);
  }
  return rows;
}

} // namespace psim::test
