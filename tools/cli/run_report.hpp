// The report `psim run` prints at the end: the table of what summary.json holds, with
// resends, faults and crashed workers when a run had any, and why a failed run stopped.
#pragma once

#include "sim/output/summary.hpp"

#include <string>

namespace psim::cli {

/// Prints the report of the run summarized by `s`, written into `dir`; `plot` is where
/// its picture went ("" for none) and `detail` the stop's own sentence ("" for none).
void print_report(const sim::run_summary& s, const std::string& dir, const std::string& plot,
                  const std::string& detail);

/// The sentence explaining why a run stopped by `reason` failed (diverged, stalled),
/// ending with `detail` when given; "" for the reasons that are not failures.
std::string failure_explanation(sim::stop_reason reason, const std::string& detail);

} // namespace psim::cli
