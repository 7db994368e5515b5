// The progress line a run draws on a terminal: stop condition reached in percent, an
// estimate of the wall time left, virtual time, versions and the current loss.
#pragma once

#include "actors/runtime/run_control.hpp"
#include "sim/scenario/scenario.hpp"

#include <chrono>

namespace psim::actors {

/// Redraws one status line on stderr, at most ten times a second.
class progress_display {
public:
  /// A display for `scn`; draws nothing unless `enabled`.
  progress_display(const sim::scenario& scn, bool enabled);

  /// Redraws if due; `time` is the run's current time in seconds.
  void update(const run_control& control, double time);

  /// Clears the line.
  void close();

private:
  const sim::scenario& scn_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point next_;
};

} // namespace psim::actors
