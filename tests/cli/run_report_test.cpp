// The table psim run prints at the end: final losses, versions, virtual time,
// staleness and messages, each the value summary.json holds.
#include "tests/cli/plot_support.hpp"

#include <doctest/doctest.h>

#include <cstdio>

using namespace psim::test;

namespace {

// `x` as the report prints a number (6 significant digits).
std::string g6(double x) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", x);
  return text;
}

} // namespace

TEST_SUITE("cli.run_report") {

TEST_CASE("the end-of-run report is a table of what summary.json holds") {
  auto dir = temp_folder("report");
  auto r = run_psim("run '" + tiny_scenario_file() + "' -o '" + dir
                    + "' --set data.test_fraction=0.25");
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  auto s = read_summary(dir);
  CAPTURE(r.out);
  CHECK(r.out.rfind("psim: tiny (async, 2 workers, virtual clock) stopped by updates\n", 0) == 0);
  auto has = [&](const std::string& text) { return r.out.find(text) != std::string::npos; };
  CHECK(has("  train loss     " + g6(s["final"]["train_loss"].get<double>())));
  CHECK(has("versions       200\n"));
  CHECK(has("  test loss      " + g6(s["final"]["test_loss"].get<double>())));
  CHECK(has("virtual time   " + g6(s["time_s"].get<double>()) + " s (wall "));
  CHECK(has("  test accuracy  -              staleness      mean "
            + g6(s["staleness"]["mean"].get<double>()) + ", max "
            + std::to_string(s["staleness"]["max"].get<int>()) + "\n"));
  CHECK(has("  messages       " + std::to_string(s["messages"]["sent"].get<int>()) + " sent, "
            + std::to_string(s["messages"]["dropped"].get<int>()) + " dropped"));
  CHECK(has("  gradients      " + std::to_string(s["gradients"]["computed"].get<int>())
            + " computed, 200 applied"));
  CHECK(has("  wrote          " + dir + ": metrics.csv, summary.json, scenario.toml\n"));
  CHECK(!has("plot")); // only the quickstart draws its plot unasked
}

TEST_CASE("a diverged run's report shows a loss summary.json holds as null as -") {
  auto dir = temp_folder("report-diverged");
  auto r = run_psim("run scenarios/quickstart.toml -o '" + dir
                    + "' --set training.learning_rate=50");
  CAPTURE(r.out);
  CHECK(r.code == 1);
  auto s = read_summary(dir);
  CHECK(r.out.rfind("psim: quickstart (", 0) == 0);
  CHECK(r.out.find(") stopped by diverged\n") != std::string::npos);
  const auto& loss = s["final"]["train_loss"];
  auto shown = loss.is_null() ? std::string{"-"} : g6(loss.get<double>());
  CHECK(r.out.find("  train loss     " + shown + " ") != std::string::npos);
  CHECK(r.out.find("versions       " + std::to_string(s["version"].get<int>()) + "\n")
        != std::string::npos);
}

} // TEST_SUITE
