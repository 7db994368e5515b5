// Every scenario in scenarios/ runs through the command line and shows what its
// opening comment says it shows.
#include "tests/support/scenario_file.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace psim::test;

namespace {

double number(const nlohmann::ordered_json& x) {
  return x.get<double>();
}

// True when some end-to-end test source under tests/cli names `file`.
bool has_check(const std::string& file) {
  for (const auto& entry : std::filesystem::directory_iterator(PSIM_SOURCE_DIR "/tests/cli"))
    if (entry.path().filename().string().rfind("scenarios", 0) == 0
        && read_text(entry.path().string()).find("\"" + file + "\"") != std::string::npos)
      return true;
  return false;
}

} // namespace

TEST_SUITE("scenarios") {

TEST_CASE("every scenario file has an end-to-end check and opens with a comment") {
  for (const auto& entry : std::filesystem::directory_iterator(PSIM_SOURCE_DIR "/scenarios")) {
    auto name = entry.path().filename().string();
    CAPTURE(name);
    CHECK(has_check(name));
    CHECK(read_text(entry.path().string()).rfind("# ", 0) == 0);
  }
}

TEST_CASE("quickstart: async staleness is about 7 and the loss reaches the noise floor") {
  auto dir = run_scenario_file("quickstart.toml");
  // a comment is not a check: the file name must appear as a string in a test
  auto s = read_summary(dir);
  CHECK(s["stopped_by"] == "updates");
  CHECK(s["mode"] == "async");
  CHECK(number(s["staleness"]["mean"]) > 6.0);
  CHECK(number(s["staleness"]["mean"]) < 8.0);
  CHECK(number(s["final"]["train_loss"]) < 0.012);
}

TEST_CASE("seed-linear-regression: learns weight 2 and bias 1") {
  auto s = read_summary(run_scenario_file("seed-linear-regression.toml"));
  auto params = s["params"].get<std::vector<double>>();
  REQUIRE(params.size() == 2);
  CHECK(params[0] == doctest::Approx(2.0).epsilon(0.03));
  CHECK(params[1] == doctest::Approx(1.0).epsilon(0.03));
  CHECK(number(s["final"]["train_loss"]) < 0.011);
}

TEST_CASE("sync-vs-async: in the same time async applies more gradients and ends lower") {
  auto async = read_summary(run_scenario_file("sync-vs-async.toml"));
  auto sync = read_summary(run_scenario_file("sync-vs-async.toml", "--set training.mode=sync"));
  CHECK(async["stopped_by"] == "time");
  CHECK(sync["stopped_by"] == "time");
  CHECK(number(sync["staleness"]["mean"]) == 0);
  CHECK(number(async["staleness"]["mean"]) > 6.0);
  CHECK(number(async["staleness"]["mean"]) < 8.0);
  auto applied_async = number(async["gradients"]["applied"]);
  auto applied_sync = number(sync["gradients"]["applied"]);
  CHECK(applied_async > 2 * applied_sync);
  CHECK(number(async["final"]["train_loss"]) < number(sync["final"]["train_loss"]));
}

}
