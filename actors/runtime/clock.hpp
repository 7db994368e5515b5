// Conversions between psim's seconds (doubles) and CAF's clock, the same for the
// virtual and the real clock.
#pragma once

#include <caf/actor_clock.hpp>

#include <chrono>
#include <cmath>

namespace psim::actors {

/// A CAF time span of `seconds`, rounded to the nanosecond (halves away from zero).
inline caf::timespan to_timespan(double seconds) {
  double ns = seconds * 1e9;
  if (!(std::abs(ns) < 0x1p62)) // also NaN: what llround makes of it
    return caf::timespan{static_cast<caf::timespan::rep>(std::llround(ns))};
  // std::llround without the call into libm (a message's hot path converts a few
  // times): the part after the point, ns - trunc(ns), is exact.
  auto whole = static_cast<caf::timespan::rep>(ns);
  double rest = ns - static_cast<double>(whole);
  if (rest >= 0.5)
    ++whole;
  else if (rest <= -0.5)
    --whole;
  return caf::timespan{whole};
}

/// Seconds from `from` to `to`.
inline double seconds_between(caf::actor_clock::time_point from,
                              caf::actor_clock::time_point to) {
  return static_cast<double>((to - from).count()) / 1e9;
}

} // namespace psim::actors
