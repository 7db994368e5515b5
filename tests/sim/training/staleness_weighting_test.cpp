// The staleness weightings (sim/training/staleness_weighting.cpp): names, each
// weighting's factor equal to its formula, and the scenario keys that choose them.
#include "sim/training/staleness_weighting.hpp"

#include "sim/scenario/scenario.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace psim::sim;

namespace {

staleness_weighting of(weighting_kind kind) {
  staleness_weighting w;
  w.kind = kind;
  return w;
}

} // namespace

TEST_SUITE("sim.staleness_weighting") {

TEST_CASE("none keeps full weight whatever the staleness") {
  for (std::uint64_t tau : {0, 1, 2, 17})
    CHECK(staleness_factor(of(weighting_kind::none), tau) == 1);
}

TEST_CASE("inverse weighs a gradient 1 / tau when tau > 1") {
  auto w = of(weighting_kind::inverse);
  CHECK(staleness_factor(w, 0) == 1);
  CHECK(staleness_factor(w, 1) == 1);
  CHECK(staleness_factor(w, 2) == 1.0 / 2);
  CHECK(staleness_factor(w, 7) == 1.0 / 7);
}

TEST_CASE("polynomial weighs 1 / (1 + tau)^a") {
  auto w = of(weighting_kind::polynomial);
  w.a = 0.5;
  CHECK(staleness_factor(w, 0) == 1);
  CHECK(staleness_factor(w, 3) == doctest::Approx(0.5).epsilon(1e-15));
  w.a = 2;
  CHECK(staleness_factor(w, 4) == doctest::Approx(1.0 / 25).epsilon(1e-15));
}

TEST_CASE("threshold keeps full weight up to max and zero above") {
  auto w = of(weighting_kind::threshold);
  w.max = 3;
  CHECK(staleness_factor(w, 0) == 1);
  CHECK(staleness_factor(w, 3) == 1);
  CHECK(staleness_factor(w, 4) == 0);
}

TEST_CASE("exponential weighs base^tau") {
  auto w = of(weighting_kind::exponential);
  w.base = 0.5;
  CHECK(staleness_factor(w, 0) == 1);
  CHECK(staleness_factor(w, 3) == 0.125);
}

TEST_CASE("each weighting has one name that reads back") {
  CHECK(weighting_kind_names() == std::vector<std::string_view>{"none", "inverse", "polynomial",
                                                                "threshold", "exponential"});
  for (auto name : weighting_kind_names())
    CHECK(to_string(*weighting_kind_named(name)) == name);
  CHECK(!weighting_kind_named("linear"));
}

TEST_CASE("the scenario reader fills training.staleness_lr from a name or a table") {
  auto inverse = parse_scenario("[training]\nstaleness_lr = \"inverse\"\n", "s.toml");
  CHECK(inverse.training.staleness_lr.kind == weighting_kind::inverse);
  auto plain = parse_scenario("", "s.toml");
  CHECK(plain.training.staleness_lr.kind == weighting_kind::none);
  CHECK(plain.resolved.find("staleness_lr = \"none\"") != std::string::npos);
  auto poly = parse_scenario("[training]\nstaleness_lr = { kind = \"polynomial\", a = 2 }\n",
                             "s.toml");
  CHECK(poly.training.staleness_lr.kind == weighting_kind::polynomial);
  CHECK(poly.training.staleness_lr.a == 2);
  auto cut = parse_scenario("[training]\nstaleness_lr = { kind = \"threshold\", max = 5 }\n",
                            "s.toml");
  CHECK(cut.training.staleness_lr.max == 5);
  auto decay = parse_scenario("[training]\nstaleness_lr = { kind = \"exponential\" }\n",
                              "s.toml");
  CHECK(decay.training.staleness_lr.base == 0.9);
  CHECK_THROWS_AS(parse_scenario("[training]\nstaleness_lr = { kind = \"exponential\", "
                                 "base = 1.5 }\n", "s.toml"),
                  scenario_error);
  CHECK_THROWS_AS(parse_scenario("[training]\nstaleness_lr = { kind = \"inverse\", a = 1 }\n",
                                 "s.toml"),
                  scenario_error);
}

}
