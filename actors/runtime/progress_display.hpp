// The progress line a run draws on a terminal: how many actors are set up while they
// are spawned; then the stop condition reached in percent, an estimate of the wall time
// left, virtual time, versions and the current loss; then that the actors are stopping.
#pragma once

#include "actors/runtime/run_control.hpp"
#include "sim/scenario/scenario.hpp"

#include <chrono>
#include <cstddef>
#include <cstdio>

namespace psim::actors {

/// Redraws one status line on stderr, at most ten times a second.
class progress_display {
public:
  /// A display for `scn` on `out`; draws nothing unless `enabled`.
  progress_display(const sim::scenario& scn, bool enabled, std::FILE* out = stderr);

  /// Called as each actor is set up: redraws the set-up line if due, `placed` of `total`
  /// actors spawned and set up (looks at the clock every 1,024th call only).
  void setting_up(std::size_t placed, std::size_t total);

  /// Redraws if due; `time` is the run's current time in seconds.
  void update(const run_control& control, double time);

  /// Draws, at once, that `actors` actors are stopping and reporting.
  void stopping(std::size_t actors);

  /// Clears the line.
  void close();

private:
  // True when a redraw is due (at most ten a second); then the next is 0.1 s away.
  bool due();

  const sim::scenario& scn_;
  bool enabled_;
  std::FILE* out_;
  bool running_ = false;      // update() was called: the run has started
  double run_start_wall_ = 0; // the run's wall seconds then (after the set-up)
  bool drawn_ = false;
  std::chrono::steady_clock::time_point next_;
};

} // namespace psim::actors
