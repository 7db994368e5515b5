// The report `psim run` prints at the end: the table of what summary.json holds, with
// resends, faults and crashed workers when a run had any, and why a failed run stopped.
#pragma once

#include "sim/output/summary.hpp"

#include <string>
#include <utility>
#include <vector>

namespace psim::cli {

/// Prints the report of the run summarized by `s`, written into `dir`; `plot` is where
/// its picture went ("" for none) and `detail` the stop's own sentence ("" for none).
void print_report(const sim::run_summary& s, const std::string& dir, const std::string& plot,
                  const std::string& detail);

/// One line of the report: its label and its text.
using report_line = std::pair<std::string, std::string>;

/// Real clock: the lag line; a warning when the run fell behind the model (p99 of the
/// lag above 1 % of the run and above the smallest modelled duration), else a note when
/// p99 is above the smallest modelled duration, which can reorder events that close in
/// model time. None otherwise.
std::vector<report_line> lag_lines(const sim::run_summary& s);

/// The sentence explaining why a run stopped by `reason` failed (diverged, stalled),
/// ending with `detail` when given; "" for the reasons that are not failures.
std::string failure_explanation(sim::stop_reason reason, const std::string& detail);

} // namespace psim::cli
