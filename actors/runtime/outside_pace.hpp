// How often the virtual runtime looks outside the simulation (an interrupt, run.stop.wall,
// the progress line): about every `period` of wall time, counted in steps so that quick
// steps (a few hundred ns each) do not read the clock, while slow ones (a big model's
// gradients and evaluations, seconds each) are looked after at every step.
#pragma once

#include <chrono>
#include <cstddef>

namespace psim::actors {

/// Steps between two looks outside, adapted to how long the last steps took.
class outside_pace {
public:
  using clock = std::chrono::steady_clock; ///< the wall clock looks are timed with

  /// Most steps between two looks (quick steps: the clock is read once per 1,024).
  static constexpr std::size_t most_steps = 1024;

  /// Wall time wanted between two looks.
  static constexpr std::chrono::milliseconds period{10};

  /// Starts with a look due at the first step, `now` being the last.
  explicit outside_pace(clock::time_point now) : last_(now) {}

  /// Counts a step; true when it is time to look (then call looked()).
  bool due() { return --left_ == 0; }

  /// Notes a look at `now`: the steps since the previous one set how many the next waits
  /// for (in proportion, at most twice as many as before, between 1 and most_steps).
  void looked(clock::time_point now);

  /// Steps the next look waits for.
  std::size_t steps() const { return steps_; }

private:
  clock::time_point last_;
  std::size_t steps_ = 1;
  std::size_t left_ = 1;
};

} // namespace psim::actors
