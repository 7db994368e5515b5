// Injected staleness (sim/training/injected_staleness.cpp, version_history.cpp): the
// draws of each distribution, the ring of versions, the labels of the answers, and the
// scenario keys with their limits.
#include "sim/training/version_history.hpp"

#include "sim/scenario/scenario.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace psim::sim;

namespace {

staleness_injection constant(std::uint64_t tau) {
  staleness_injection inj;
  inj.dist = injection_kind::constant;
  inj.value = tau;
  return inj;
}

vector filled(double x) { return vector::Constant(2, x); }

} // namespace

TEST_SUITE("sim.injected_staleness") {

TEST_CASE("uniform draws every tau in 0..max with equal frequency") {
  staleness_injection inj;
  inj.dist = injection_kind::uniform;
  inj.max = 4;
  random_stream rng(7, "staleness/worker-0");
  std::vector<double> counts(5, 0);
  constexpr int n = 50000;
  for (int i = 0; i < n; ++i)
    counts.at(inj.draw(rng)) += 1;
  // Each count is binomial(n, 1/5): within 5 standard deviations of n/5.
  double sd = std::sqrt(n * 0.2 * 0.8);
  for (double c : counts)
    CHECK(std::abs(c - n / 5.0) < 5 * sd);
}

TEST_CASE("geometric draws have the stated mean, and the cap holds") {
  staleness_injection inj;
  inj.dist = injection_kind::geometric;
  inj.mean = 3;
  inj.max = 1000;
  random_stream rng(7, "staleness/worker-1");
  constexpr int n = 50000;
  double sum = 0;
  for (int i = 0; i < n; ++i)
    sum += static_cast<double>(inj.draw(rng));
  // Variance of a geometric on 0, 1, ... with mean m is m (1 + m).
  double se = std::sqrt(3.0 * 4.0 / n);
  CHECK(std::abs(sum / n - 3) < 5 * se);
  inj.max = 2;
  for (int i = 0; i < 1000; ++i)
    CHECK(inj.draw(rng) <= 2);
}

TEST_CASE("the history serves max(0, v - tau) and keeps only the last tau + 1 versions") {
  version_history h(constant(2), 1, 1, filled(0));
  CHECK(h.serve(0, 0) == 0);
  for (std::uint64_t v = 1; v <= 6; ++v)
    h.record(v, filled(static_cast<double>(v)));
  CHECK(h.oldest() == 4);
  CHECK(h.serve(0, 6) == 4);
  CHECK(h.at(4)(0) == 4);
  CHECK(h.served(0, 6) == 4);
  CHECK(h.served(0, 5) == 5); // never answered under 5: the label is the version
}

TEST_CASE("a repeated answer under the same label serves the same version without a draw") {
  staleness_injection inj;
  inj.dist = injection_kind::uniform;
  inj.max = 50;
  version_history h(inj, 3, 2, filled(0));
  for (std::uint64_t v = 1; v <= 60; ++v)
    h.record(v, filled(static_cast<double>(v)));
  auto first = h.serve(1, 60);
  for (int i = 0; i < 10; ++i)
    CHECK(h.serve(1, 60) == first);
  // The draws are the worker's own stream: the same sequence as a fresh stream's.
  random_stream rng(3, "staleness/worker-1");
  CHECK(first == 60 - inj.draw(rng));
}

TEST_CASE("after a restart only the restored version is served") {
  version_history h(constant(3), 1, 1, filled(0));
  for (std::uint64_t v = 1; v <= 9; ++v)
    h.record(v, filled(static_cast<double>(v)));
  h.restart(5, filled(5));
  CHECK(h.serve(0, 5) == 5);
  h.record(6, filled(6));
  CHECK(h.serve(0, 6) == 5);
}

TEST_CASE("training.inject_staleness reads its table, only in async, ssp and kasync") {
  auto scn = parse_scenario("[training]\nmode = \"async\"\n"
                            "inject_staleness = { dist = \"uniform\", max = 8 }\n", "s.toml");
  CHECK(scn.training.inject_staleness.dist == injection_kind::uniform);
  CHECK(scn.training.inject_staleness.bound() == 8);
  auto geo = parse_scenario("[training]\nmode = \"kasync\"\n"
                            "inject_staleness = { dist = \"geometric\", mean = 2, max = 9 }\n",
                            "s.toml");
  CHECK(geo.training.inject_staleness.mean == 2);
  CHECK(!parse_scenario("", "s.toml").training.inject_staleness.enabled());
  CHECK_THROWS_AS(parse_scenario("[training]\nmode = \"sync\"\n"
                                 "inject_staleness = { dist = \"constant\", value = 4 }\n",
                                 "s.toml"),
                  scenario_error);
  CHECK_THROWS_AS(parse_scenario("[training]\nmode = \"async\"\ndrop_stale = 2\n"
                                 "inject_staleness = { dist = \"constant\", value = 4 }\n",
                                 "s.toml"),
                  scenario_error);
}

TEST_CASE("a history that would not fit 1 GiB is a scenario error") {
  // An MLP 1000-1000-1 has 1,002,001 parameters: 1 GiB holds 133 versions of them.
  std::string text = "[data]\nfeatures = 1000\n[model]\nkind = \"mlp\"\nhidden = [1000]\n"
                     "[training]\nmode = \"async\"\n";
  CHECK_NOTHROW(
    parse_scenario(text + "inject_staleness = { dist = \"constant\", value = 100 }\n", "s.toml"));
  CHECK_THROWS_WITH_AS(
    parse_scenario(text + "inject_staleness = { dist = \"constant\", value = 1000 }\n", "s.toml"),
    doctest::Contains("at most 1 GiB"), scenario_error);
}

}
