// The fault scenarios run through the command line and show what their opening
// comments say.
#include "tests/support/expectations.hpp"
#include "tests/support/scenario_file.hpp"

#include <doctest/doctest.h>

using namespace psim::test;

namespace {

double number(const nlohmann::ordered_json& x) {
  return x.get<double>();
}

} // namespace

TEST_SUITE("scenarios.faults") {

TEST_CASE("stragglers.toml: sync rounds wait for the slowest, async does not") {
  auto dir = run_scenario_file("stragglers.toml");
  auto sync = read_summary(dir);
  CHECK(number(sync["time_s"]) == doctest::Approx(10.4).epsilon(1e-4));
  CHECK(read_text(dir + "/events.csv").find(",compute_start,") != std::string::npos);
  auto async = read_summary(run_scenario_file("stragglers.toml", "--set training.mode=async"));
  auto fast = number(async["workers"][0]["gradients"]);
  auto slow = number(async["workers"][7]["gradients"]);
  CHECK(fast > 4 * slow);
  CHECK(fast < 6 * slow);
}

TEST_CASE("flaky-network.toml: losses and repeats are counted, nothing is applied twice") {
  auto s = read_summary(run_scenario_file("flaky-network.toml"));
  CHECK(number(s["messages"]["dropped"]) > 100);
  CHECK(number(s["messages"]["resent"]) > 100);
  CHECK(number(s["messages"]["ignored"]) > 100);
  check_conservation(s["gradients"]);
  CHECK(number(s["gradients"]["applied"]) == 3000);
  CHECK(number(s["final"]["train_loss"]) < 0.012);
}

TEST_CASE("crash-and-recover.toml: rounds go on without the crashed worker, the server "
          "rolls back") {
  auto dir = run_scenario_file("crash-and-recover.toml");
  auto s = read_summary(dir);
  CHECK(s["workers"][2]["crashes"] == 1);
  CHECK(number(s["workers"][2]["gradients"]) < number(s["workers"][0]["gradients"]));
  REQUIRE(s["faults"].size() == 2);
  CHECK(number(s["faults"][1]["rolled_back"]) > 0);
  check_conservation(s["gradients"]);
  bool stepped_back = false;
  long previous = -1;
  for (auto& row : read_metrics(dir)) {
    auto version = std::stol(row["version"]);
    stepped_back = stepped_back || version < previous;
    previous = version;
  }
  CHECK(stepped_back);
  auto waiting = read_summary(
    run_scenario_file("crash-and-recover.toml", "--set training.on_failure=wait"));
  CHECK(number(waiting["version"]) < number(s["version"]));
}

TEST_CASE("partition.toml: one staleness burst right after the partition heals") {
  auto dir = run_scenario_file("partition.toml");
  auto s = read_summary(dir);
  CHECK(number(s["staleness"]["max"]) > 200);
  double before = 0, burst = 0;
  for (auto& row : read_metrics(dir)) {
    if (row["staleness_mean"].empty())
      continue;
    auto t = std::stod(row["time"]);
    auto mean = std::stod(row["staleness_mean"]);
    if (t < 1.0)
      before = std::max(before, mean);
    if (t >= 2.0 && t < 2.1)
      burst = std::max(burst, mean);
  }
  CHECK(before <= 4);
  CHECK(burst > 20);
}

TEST_CASE("a run that cannot progress ends as stalled with exit 1 and says who waits") {
  auto dir = temp_folder("stall");
  auto r = run_psim("run scenarios/crash-and-recover.toml -o '" + dir + "' --quiet "
                    "--set training.on_failure=wait --set 'faults=[{at=\"1s\", kind=\"crash\", "
                    "target=\"worker-2\"}]' --set run.stall_timeout='\"2s\"'");
  CHECK(r.code == 1);
  CHECK(read_summary(dir)["stopped_by"] == "stalled");
  CHECK(r.err.find("worker-2") != std::string::npos);
}

}
