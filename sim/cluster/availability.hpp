// Availability: workers that come and go (DESIGN §8). A scenario's [availability] gives
// per worker pattern alternating online/offline durations, or a trace of state changes;
// the fault injector turns them into worker_offline effects.
#pragma once

#include "sim/random/distribution.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace psim::sim {

class scenario_reader;

/// The workers a pattern names and how long they stay online, then offline, in turn.
struct availability_pattern {
  std::string target = "worker-*";                 ///< worker name or pattern
  distribution up = distribution::fixed(0);        ///< length of an online period
  distribution down = distribution::fixed(0);      ///< length of an offline period
};

/// One change of state of a worker, read from an availability trace.
struct availability_change {
  std::uint32_t worker = 0; ///< worker number
  double at = 0;            ///< seconds after the start
  bool online = true;       ///< the state from then on
};

/// The [availability] table: patterns (the last one naming a worker wins) or a trace.
struct availability_config {
  std::vector<availability_pattern> patterns; ///< alternating periods per worker pattern
  std::string trace;                          ///< trace file ("" = none)
  std::vector<availability_change> changes;   ///< the trace's changes, by time then worker

  /// True when some worker may go offline.
  bool any() const { return !patterns.empty() || !changes.empty(); }
};

/// The pattern that covers worker `worker` (the last that names it), or null.
const availability_pattern* pattern_of(const availability_config& config,
                                       std::uint32_t worker);

/// A malformed line of an availability trace: its 1-based number and what is wrong.
struct availability_trace_error : std::runtime_error {
  /// Line `line` of the trace holds something not allowed; `message` says what.
  availability_trace_error(int at_line, const std::string& message)
    : std::runtime_error(message), line(at_line) {}
  int line; ///< 1-based line number
};

/// Parses trace text with rows `worker,time,state` (worker: a number or "worker-N";
/// time: a duration; state: online|offline|1|0), an optional header row, blank lines
/// and # comments; workers must be below `workers`. Throws availability_trace_error.
std::vector<availability_change> parse_availability_trace(std::string_view text,
                                                          std::size_t workers);

/// Reads the top-level [availability] table of a scenario from `source` with `workers`
/// workers (absent: every worker always online); reads the trace file it names.
availability_config read_availability(scenario_reader& top, const std::string& source,
                                      std::size_t workers);

} // namespace psim::sim
