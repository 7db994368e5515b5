// The scale scenario: scenarios/million-workers.toml at 20,000 workers (the million is
// for the benchmark and for people, not for every test run).
#include "tests/support/scenario_file.hpp"

#include <doctest/doctest.h>

using namespace psim::test;

TEST_SUITE("scenarios") {

TEST_CASE("million-workers: at 20,000 workers every worker reports and updates are stale") {
  auto dir = run_scenario_file("million-workers.toml", "--set cluster.workers=20000 "
                               "--set data.samples=25000 --set run.stop.updates=20000");
  auto s = read_summary(dir);
  CHECK(s["stopped_by"] == "updates");
  CHECK(s["version"] == 20000);
  CHECK(s["gradients"]["applied"] == 20000);
  REQUIRE(s["workers"].size() == 20000);
  CHECK(s["workers"][19999]["id"] == 19999);
  // Most updates carry a first gradient, computed on version 0: staleness near N/2.
  auto mean = s["staleness"]["mean"].get<double>();
  CHECK(mean > 5000);
  CHECK(mean < 15000);
  CHECK(s["staleness"]["max"].get<std::uint64_t>() < 20000);
}

TEST_CASE("million-workers: a wall stop while the actors spawn ends the run with a summary") {
  // The wall clock counts the spawning: 1 ms passes before 4096 of 300,000 actors exist.
  auto dir = run_scenario_file("million-workers.toml",
                               "--set cluster.workers=100000 --set 'run.stop={wall=0.001}'");
  auto s = read_summary(dir);
  CHECK(s["stopped_by"] == "wall");
  CHECK(s["version"] == 0);
  CHECK(s["gradients"]["computed"] == 0);
  CHECK(s["workers"].empty()); // ended before they started: none reported
  CHECK(read_text(dir + "/metrics.csv")
        == "time,wall,version,gradients,train_loss,test_loss,test_accuracy,staleness_mean\n");
}

}
