// Seconds to CAF time spans: to_timespan rounds to the nanosecond exactly as
// std::llround does (halves away from zero), without calling it on the hot path.
#include "actors/runtime/clock.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <random>

using namespace psim::actors;

TEST_SUITE("actors.runtime.clock") {

TEST_CASE("halves of a nanosecond round away from zero") {
  CHECK(to_timespan(2.5e-9).count() == 3);
  CHECK(to_timespan(-2.5e-9).count() == -3);
  CHECK(to_timespan(0.4e-9).count() == 0);
  CHECK(to_timespan(-0.4e-9).count() == 0);
  CHECK(to_timespan(0.001).count() == 1000000);
  CHECK(to_timespan(0.0).count() == 0);
}

TEST_CASE("the largest value below one half rounds down, as llround rounds it") {
  double below_half = std::nextafter(0.5, 0.0);
  CHECK(to_timespan(below_half / 1e9).count() == std::llround(below_half / 1e9 * 1e9));
}

TEST_CASE("every span agrees with llround of its nanoseconds") {
  std::mt19937_64 gen{7};
  std::uniform_real_distribution<double> seconds{-1e6, 1e6};
  for (int i = 0; i < 100000; ++i) {
    double s = seconds(gen) * std::ldexp(1.0, -static_cast<int>(gen() % 60));
    CHECK(to_timespan(s).count() == std::llround(s * 1e9));
  }
  for (double s : {4503599627370496.5e-9, 1e9, -1e9, 5e9, 1e300, -1e300})
    CHECK(to_timespan(s).count() == std::llround(s * 1e9));
}

}
