// Tests for sim/random/random.cpp: reproducible, independent, well-spread random streams.
#include "sim/random/random.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

using psim::sim::random_stream;

TEST_SUITE("sim.random") {

TEST_CASE("the same seed and name give the same sequence") {
  random_stream first(42, "compute");
  random_stream second(42, "compute");
  int mismatches = 0;
  for (int i = 0; i < 1000; ++i)
    mismatches += first.next() != second.next();
  CHECK(mismatches == 0);
}

TEST_CASE("different names or seeds give different sequences") {
  random_stream base(42, "compute");
  random_stream other_name(42, "network");
  random_stream other_seed(43, "compute");
  int same_name_hits = 0;
  int same_seed_hits = 0;
  for (int i = 0; i < 100; ++i) {
    auto x = base.next();
    same_name_hits += x == other_name.next();
    same_seed_hits += x == other_seed.next();
  }
  CHECK(same_name_hits == 0);
  CHECK(same_seed_hits == 0);
}

TEST_CASE("the first draws of a stream are pinned so every platform agrees") {
  random_stream rng(1, "data");
  CHECK(rng.next() == 9439642326464741353ULL);
  CHECK(rng.next() == 11022155103115814073ULL);
}

TEST_CASE("uniform draws lie in [0, 1) and average one half") {
  random_stream rng(7, "uniform");
  const int n = 100000;
  double sum = 0;
  double low = 1;
  double high = 0;
  for (int i = 0; i < n; ++i) {
    double u = rng.uniform();
    low = std::min(low, u);
    high = std::max(high, u);
    sum += u;
  }
  CHECK(low >= 0.0);
  CHECK(high < 1.0);
  double standard_error = std::sqrt(1.0 / 12.0 / n);
  CHECK(std::abs(sum / n - 0.5) < 5 * standard_error);
}

TEST_CASE("normal draws have mean 0 and variance 1") {
  random_stream rng(7, "normal");
  const int n = 100000;
  double sum = 0;
  double squares = 0;
  for (int i = 0; i < n; ++i) {
    double z = rng.normal();
    sum += z;
    squares += z * z;
  }
  REQUIRE(std::isfinite(squares));
  double mean = sum / n;
  CHECK(std::abs(mean) < 5 * std::sqrt(1.0 / n));
  // The variance of z^2 is 2 for a standard normal.
  CHECK(std::abs(squares / n - 1.0) < 5 * std::sqrt(2.0 / n));
}

TEST_CASE("below stays in range and reaches every value about equally often") {
  random_stream rng(3, "below");
  for (int i = 0; i < 100; ++i)
    REQUIRE(rng.below(1) == 0);
  const int n = 70000;
  std::uint64_t counts[7] = {};
  std::uint64_t largest = 0;
  for (int i = 0; i < n; ++i) {
    auto k = rng.below(7);
    largest = std::max(largest, k);
    ++counts[std::min<std::uint64_t>(k, 6)];
  }
  CHECK(largest < 7);
  // Each count is binomial(n, 1/7): within 5 standard deviations of n/7.
  double expected = n / 7.0;
  double sd = std::sqrt(n * (1.0 / 7) * (6.0 / 7));
  for (auto count : counts)
    CHECK(std::abs(static_cast<double>(count) - expected) < 5 * sd);
  std::uint64_t huge = (std::uint64_t{1} << 63) + 12345;
  std::uint64_t largest_huge = 0;
  for (int i = 0; i < 1000; ++i)
    largest_huge = std::max(largest_huge, rng.below(huge));
  CHECK(largest_huge < huge);
  CHECK(largest_huge > huge / 2); // top bits are used, not just the low ones
}

TEST_CASE("shuffle yields a permutation that moves elements") {
  random_stream rng(5, "shuffle");
  std::vector<int> xs(100);
  std::iota(xs.begin(), xs.end(), 0);
  auto original = xs;
  rng.shuffle(xs);
  CHECK(xs != original);
  auto sorted = xs;
  std::sort(sorted.begin(), sorted.end());
  CHECK(sorted == original);
  std::vector<int> empty;
  rng.shuffle(empty);
  CHECK(empty.empty());
}

}
