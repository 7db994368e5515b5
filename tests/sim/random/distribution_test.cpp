// Tests for sim/random/distribution.cpp: every kind of random duration matches its stated mean.
#include "sim/random/distribution.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace psim::sim;

namespace {

/// Mean, standard error of the mean and smallest value of `n` draws.
struct draw_summary {
  double mean;
  double standard_error;
  double min;
};

draw_summary summarize(const distribution& d, const char* stream, int n = 200000) {
  random_stream rng(11, stream);
  double sum = 0;
  double squares = 0;
  double min = INFINITY;
  for (int i = 0; i < n; ++i) {
    double x = d.sample(rng);
    sum += x;
    squares += x * x;
    min = std::min(min, x);
  }
  double mean = sum / n;
  double variance = (squares - n * mean * mean) / (n - 1);
  return {mean, std::sqrt(std::max(variance, 0.0) / n), min};
}

void check_mean(const distribution& d) {
  INFO("kind: ", to_string(d.kind), ", a = ", d.a, ", b = ", d.b);
  auto s = summarize(d, to_string(d.kind).c_str());
  CHECK(s.min >= 0.0);
  CHECK(s.standard_error > 0.0);
  CHECK(std::abs(s.mean - d.mean()) < 5 * s.standard_error);
}

} // namespace

TEST_SUITE("sim.distribution") {

TEST_CASE("a constant always gives its value") {
  auto d = distribution::fixed(0.125);
  random_stream rng(1, "constant");
  for (int i = 0; i < 100; ++i)
    REQUIRE(d.sample(rng) == 0.125);
  CHECK(d.mean() == 0.125);
  CHECK_FALSE(d.is_zero());
  CHECK(distribution::fixed(0).is_zero());
}

TEST_CASE("the sample mean of each kind is within five standard errors of mean()") {
  check_mean({dist_kind::uniform, 0.1, 0.3, {}});
  check_mean({dist_kind::exponential, 0.02, 0, {}});
  check_mean({dist_kind::shifted_exponential, 0.01, 0.005, {}});
  check_mean({dist_kind::normal, 1.0, 0.1, {}});
  check_mean({dist_kind::normal, 0.5, 1.0, {}});
  check_mean({dist_kind::lognormal, 0.01, 0.5, {}});
  check_mean({dist_kind::pareto, 0.001, 3.5, {}});
  auto samples = std::make_shared<const std::vector<double>>(std::vector{0.1, 0.2, 0.7});
  check_mean({dist_kind::empirical, 0, 0, samples});
}

TEST_CASE("the exact means follow the closed forms") {
  CHECK(distribution{dist_kind::uniform, 1, 3, {}}.mean() == 2.0);
  CHECK(distribution{dist_kind::shifted_exponential, 1, 0.5, {}}.mean() == 1.5);
  CHECK(distribution{dist_kind::lognormal, 2, 1, {}}.mean() == doctest::Approx(2 * std::exp(0.5)));
  CHECK(distribution{dist_kind::pareto, 1, 3, {}}.mean() == doctest::Approx(1.5));
  CHECK(std::isinf(distribution{dist_kind::pareto, 1, 1, {}}.mean()));
  CHECK(std::isinf(distribution{dist_kind::pareto, 1, 0.5, {}}.mean()));
  CHECK(distribution{dist_kind::normal, 0.3, 0, {}}.mean() == 0.3);
  // A normal truncated at its own mean: mean + std * phi(0) / (1/2).
  CHECK(distribution{dist_kind::normal, 0, 1, {}}.mean()
        == doctest::Approx(2 / std::sqrt(2 * std::acos(-1.0))));
  // Far from the truncation point the truncated mean is the plain mean.
  CHECK(distribution{dist_kind::normal, 10, 1, {}}.mean() == doctest::Approx(10));
}

TEST_CASE("a heavily truncated normal never gives a negative draw") {
  distribution d{dist_kind::normal, -0.5, 1.0, {}};
  auto s = summarize(d, "truncated");
  CHECK(s.min >= 0.0);
  CHECK(std::abs(s.mean - d.mean()) < 5 * s.standard_error);
}

TEST_CASE("pareto draws never fall below the scale") {
  distribution d{dist_kind::pareto, 0.002, 1.5, {}};
  random_stream rng(2, "pareto");
  double smallest = INFINITY;
  for (int i = 0; i < 10000; ++i)
    smallest = std::min(smallest, d.sample(rng));
  CHECK(smallest >= 0.002);
  CHECK(smallest < 0.00201);
}

TEST_CASE("an empirical distribution yields only the listed values, each of them") {
  std::vector<double> listed{0.5, 1.5, 4.0};
  distribution d{dist_kind::empirical, 0, 0, std::make_shared<const std::vector<double>>(listed)};
  random_stream rng(3, "empirical");
  int seen[3] = {};
  for (int i = 0; i < 3000; ++i) {
    double x = d.sample(rng);
    auto at = std::find(listed.begin(), listed.end(), x);
    REQUIRE(at != listed.end());
    ++seen[at - listed.begin()];
  }
  for (int count : seen)
    CHECK(count > 800);
  CHECK(d.mean() == doctest::Approx(2.0));
}

TEST_CASE("every kind has the name scenario files use") {
  CHECK(to_string(dist_kind::constant) == "constant");
  CHECK(to_string(dist_kind::uniform) == "uniform");
  CHECK(to_string(dist_kind::exponential) == "exponential");
  CHECK(to_string(dist_kind::shifted_exponential) == "shifted_exponential");
  CHECK(to_string(dist_kind::normal) == "normal");
  CHECK(to_string(dist_kind::lognormal) == "lognormal");
  CHECK(to_string(dist_kind::pareto) == "pareto");
  CHECK(to_string(dist_kind::empirical) == "empirical");
}

}
