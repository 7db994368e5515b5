// scenarios/dai-staleness.toml through the command line, on a small budget: a 3-hidden-
// layer MLP needs far more gradients to reach 0.85 test accuracy under injected
// staleness 0..16 than without (Dai et al. 2019; tools/dai-staleness draws the figure).
#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

#include <optional>
#include <sstream>

using namespace psim::test;

namespace {

// Runs the scenario with a 3-hidden-layer MLP and staleness 0..`s`; returns the folder.
std::string run_with_staleness(int s) {
  auto dir = temp_folder("dai");
  std::string file = "dai-staleness.toml";
  auto r = run_psim("run scenarios/" + file + " -o '" + dir + "' --quiet"
                    " --set 'model.hidden=[32,32,32]' --set run.stop={updates=700}"
                    " --set training.inject_staleness.max=" + std::to_string(s));
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  return dir;
}

// The version of the first metrics row with test_accuracy >= `target`.
std::optional<double> first_reach(const std::string& dir, double target) {
  for (auto& row : read_metrics(dir))
    if (std::stod(row["test_accuracy"]) >= target)
      return std::stod(row["version"]);
  return std::nullopt;
}

} // namespace

TEST_SUITE("scenarios.dai_staleness") {

TEST_CASE("dai-staleness.toml: staleness 0..16 costs a deep MLP more than 1.5x the gradients") {
  auto fresh = run_with_staleness(0);
  auto stale = run_with_staleness(16);
  auto s = read_summary(stale);
  // One worker: each gradient is exactly its injected tau stale (min(tau, v)), mean 8.
  CHECK(s["staleness"]["mean"].get<double>() > 7);
  CHECK(s["staleness"]["mean"].get<double>() < 9);
  CHECK(s["staleness"]["max"] == 16);
  CHECK(read_summary(fresh)["staleness"]["max"] == 0);
  auto quick = first_reach(fresh, 0.85);
  auto slow = first_reach(stale, 0.85);
  REQUIRE(quick);
  CHECK((!slow || *slow > 1.5 * *quick));
}

}
