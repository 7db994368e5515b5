// Numbered messages arriving in any order, duplicated or resent: each accepted once.
#include "sim/training/sequence_filter.hpp"

#include <doctest/doctest.h>

TEST_SUITE("sim.sequence_filter") {

TEST_CASE("each sequence number is accepted once whatever the order") {
  psim::sim::sequence_filter f;
  CHECK(f.first_time(1));
  CHECK(!f.first_time(1));
  CHECK(f.first_time(4));
  CHECK(f.first_time(2));
  CHECK(!f.first_time(2));
  CHECK(!f.first_time(4));
  CHECK(f.first_time(3));
  CHECK(!f.first_time(3));
  CHECK(f.first_time(5));
}

}
