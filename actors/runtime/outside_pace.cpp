// The pace of looks: steps scaled by period / elapsed, so that the next interval of
// steps takes about one period if the steps keep their length.
#include "actors/runtime/outside_pace.hpp"

#include <algorithm>

namespace psim::actors {

void outside_pace::looked(clock::time_point now) {
  auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(now - last_).count();
  auto wanted = std::chrono::duration_cast<std::chrono::nanoseconds>(period).count();
  last_ = now;
  std::size_t next = 2 * steps_;
  if (elapsed > 0) {
    auto scaled = static_cast<double>(steps_) * static_cast<double>(wanted)
                  / static_cast<double>(elapsed);
    next = scaled < static_cast<double>(next) ? static_cast<std::size_t>(scaled) : next;
  }
  steps_ = std::clamp<std::size_t>(next, 1, most_steps);
  left_ = steps_;
}

} // namespace psim::actors
