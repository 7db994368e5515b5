// The numbers scenario headers quote, checked against runs: a header that drifts
// from what its scenario does fails here.
#include "tests/cli/plot_support.hpp"

#include <doctest/doctest.h>

using namespace psim::test;

namespace {

// Runs scenarios/NAME.toml with `extra` arguments; returns its summary.json.
nlohmann::ordered_json run_scenario(const std::string& name, const std::string& extra = "") {
  auto dir = temp_folder("header") + "/" + name;
  auto r = run_psim("run scenarios/" + name + ".toml -o '" + dir + "' --quiet " + extra);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  return read_summary(dir);
}

bool header_says(const std::string& name, const std::string& text) {
  return read_text(PSIM_SOURCE_DIR "/scenarios/" + name + ".toml").find(text)
         != std::string::npos;
}

} // namespace

TEST_SUITE("cli.scenario_headers") {

TEST_CASE("sync-vs-async: async applies about 2.3x the gradients of sync, 1327 against 576") {
  REQUIRE(header_says("sync-vs-async", "about 2.3x as many gradients (1327 against 576)"));
  auto async = run_scenario("sync-vs-async");
  auto sync = run_scenario("sync-vs-async", "--set training.mode=sync");
  CHECK(async["gradients"]["applied"] == 1327);
  CHECK(sync["gradients"]["applied"] == 576);
  CHECK(async["final"]["train_loss"].get<double>() < sync["final"]["train_loss"].get<double>());
}

TEST_CASE("partition: worker-0's push arrives 255 versions old") {
  REQUIRE(header_says("partition", "255 versions old"));
  CHECK(run_scenario("partition")["staleness"]["max"] == 255);
}

TEST_CASE("stragglers: the async variant the header gives converges in 3.0 s, 248 against 57") {
  REQUIRE(header_says("stragglers", "--set training.mode=async\n# --set "
                                    "training.learning_rate=0.01 --set run.stop.updates=1600"));
  auto s = run_scenario("stragglers", "--set training.mode=async --set "
                                      "training.learning_rate=0.01 --set run.stop.updates=1600");
  CHECK(s["stopped_by"] == "updates");
  CHECK(s["time_s"].get<double>() == doctest::Approx(2.976).epsilon(1e-3));
  CHECK(s["workers"][0]["gradients"] == 248);
  CHECK(s["workers"][7]["gradients"] == 57);
  auto sync = run_scenario("stragglers");
  CHECK(s["final"]["train_loss"].get<double>() < sync["final"]["train_loss"].get<double>());
}

TEST_CASE("modes-compared: ksync and kasync both wait for k = 6 of 8") {
  REQUIRE(header_says("modes-compared", "ksync and kasync (both\n# waiting for k = 6 of 8)"));
  REQUIRE(read_text(PSIM_SOURCE_DIR "/scenarios/modes-compared.toml").find("\nk = 6\n")
          != std::string::npos);
  CHECK(run_scenario("modes-compared", "--set training.mode=kasync")["workers"].size() == 8);
}

} // TEST_SUITE
