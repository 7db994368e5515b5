// The staleness weightings (sim/training/staleness_weighting.cpp): names, and each
// weighting's rate equal to its formula.
#include "sim/training/staleness_weighting.hpp"

#include "sim/scenario/scenario.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;

TEST_SUITE("sim.staleness_weighting") {

TEST_CASE("none keeps the base rate whatever the staleness") {
  for (std::uint64_t tau : {0, 1, 2, 17})
    CHECK(weighted_rate(staleness_weighting::none, 0.3, tau) == 0.3);
}

TEST_CASE("inverse divides the rate by tau when tau > 1") {
  CHECK(weighted_rate(staleness_weighting::inverse, 0.3, 0) == 0.3);
  CHECK(weighted_rate(staleness_weighting::inverse, 0.3, 1) == 0.3);
  CHECK(weighted_rate(staleness_weighting::inverse, 0.3, 2) == 0.3 / 2);
  CHECK(weighted_rate(staleness_weighting::inverse, 0.3, 7) == 0.3 / 7);
}

TEST_CASE("each weighting has one name that reads back") {
  CHECK(staleness_weighting_names() == std::vector<std::string_view>{"none", "inverse"});
  for (auto name : staleness_weighting_names())
    CHECK(to_string(*staleness_weighting_named(name)) == name);
  CHECK(!staleness_weighting_named("polynomial"));
}

TEST_CASE("the scenario reader fills training.staleness_lr") {
  auto inverse = parse_scenario("[training]\nstaleness_lr = \"inverse\"\n", "s.toml");
  CHECK(inverse.training.staleness_lr == staleness_weighting::inverse);
  auto plain = parse_scenario("", "s.toml");
  CHECK(plain.training.staleness_lr == staleness_weighting::none);
  CHECK(plain.resolved.find("staleness_lr = \"none\"") != std::string::npos);
}

}
