// Conversions between psim's seconds (doubles) and CAF's clock, the same for the
// virtual and the real clock.
#pragma once

#include <caf/actor_clock.hpp>

#include <chrono>
#include <cmath>

namespace psim::actors {

/// A CAF time span of `seconds`, rounded to the nanosecond.
inline caf::timespan to_timespan(double seconds) {
  return caf::timespan{static_cast<caf::timespan::rep>(std::llround(seconds * 1e9))};
}

/// Seconds from `from` to `to`.
inline double seconds_between(caf::actor_clock::time_point from,
                              caf::actor_clock::time_point to) {
  return static_cast<double>((to - from).count()) / 1e9;
}

} // namespace psim::actors
