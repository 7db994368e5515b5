// The virtual runtime's pace of looks outside (actors/runtime/outside_pace.hpp): quick
// steps are looked after once per 1,024, slow ones at every step, and the interval
// follows the steps' length in between.
#include "actors/runtime/outside_pace.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using psim::actors::outside_pace;
using namespace std::chrono_literals;

namespace {

// Runs the steps up to the next look, each `step` long, from `now`; returns the steps.
std::size_t steps_to_look(outside_pace& pace, outside_pace::clock::time_point& now,
                          std::chrono::nanoseconds step) {
  std::size_t steps = 0;
  do {
    ++steps;
    now += step;
  } while (!pace.due());
  pace.looked(now);
  return steps;
}

} // namespace

TEST_CASE("outside_pace: the first step is looked after, quick steps double the interval "
          "up to 1,024") {
  auto now = outside_pace::clock::time_point{} + 1h;
  outside_pace pace{now};
  CHECK(steps_to_look(pace, now, 300ns) == 1);
  std::size_t expected = 2;
  for (int look = 0; look < 12; ++look) {
    CHECK(pace.steps() == expected);
    CHECK(steps_to_look(pace, now, 300ns) == expected);
    expected = std::min<std::size_t>(2 * expected, outside_pace::most_steps);
  }
  CHECK(pace.steps() == 1024);
}

TEST_CASE("outside_pace: slow steps are looked after one by one") {
  auto now = outside_pace::clock::time_point{} + 1h;
  outside_pace pace{now};
  for (int look = 0; look < 10; ++look) // quick set-up: 1,023 steps
    steps_to_look(pace, now, 300ns);
  REQUIRE(pace.steps() == 1024);
  // A big model's gradients, 50 ms each: the one interval of 1,024 of them is the last.
  CHECK(steps_to_look(pace, now, 50ms) == 1024);
  CHECK(pace.steps() == 1);
  for (int look = 0; look < 5; ++look)
    CHECK(steps_to_look(pace, now, 50ms) == 1);
  // Steps of 9 ms keep one step per look; steps of 4 ms make it two.
  CHECK(steps_to_look(pace, now, 9ms) == 1);
  CHECK(pace.steps() == 1);
  CHECK(steps_to_look(pace, now, 4ms) == 1);
  CHECK(pace.steps() == 2);
}

TEST_CASE("outside_pace: the interval is in proportion to the period") {
  auto now = outside_pace::clock::time_point{} + 1h;
  outside_pace pace{now};
  for (int look = 0; look < 8; ++look) // 1, 2, ..., 128 steps of 1 us
    steps_to_look(pace, now, 1us);
  REQUIRE(pace.steps() == 256);
  // 256 steps of 200 us (51.2 ms): the next 50 steps take the period.
  CHECK(steps_to_look(pace, now, 200us) == 256);
  CHECK(pace.steps() == 50);
  // Then 50 steps of 100 us (5 ms): twice as many, not more.
  CHECK(steps_to_look(pace, now, 100us) == 50);
  CHECK(pace.steps() == 100);
}
