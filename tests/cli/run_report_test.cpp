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
  CHECK(r.out.find(") stopped by diverged\n  why            the train loss became non-finite or "
                   "reached 1000x its first value\n") != std::string::npos);
}

TEST_CASE("a quiet run's report has no lines for resends, faults or crashes") {
  auto dir = temp_folder("report-calm");
  auto r = run_psim("run '" + tiny_scenario_file() + "' -o '" + dir + "'");
  REQUIRE(r.code == 0);
  CAPTURE(r.out);
  CHECK(r.out.find(" duplicated\n") != std::string::npos);
  for (const char* label : {"resent", "faults ", "crashed ", "why "})
    CHECK(r.out.find(label) == std::string::npos);
}

TEST_CASE("the report lists resends, ignored repeats, each fault and the crashed workers") {
  auto dir = temp_folder("report-faults");
  auto r = run_psim("run scenarios/crash-and-recover.toml -o '" + dir
                    + "' --set network.timeout='\"20ms\"' --set network.drop=0.01");
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  CAPTURE(r.out);
  auto s = read_summary(dir);
  const auto& m = s["messages"];
  REQUIRE(m["resent"].get<int>() > 0);
  CHECK(r.out.find("  messages       " + std::to_string(m["sent"].get<int>()) + " sent, "
                   + std::to_string(m["dropped"].get<int>()) + " dropped, "
                   + std::to_string(m["duplicated"].get<int>()) + " duplicated, "
                   + std::to_string(m["resent"].get<int>()) + " resent, "
                   + std::to_string(m["ignored"].get<int>()) + " ignored\n")
        != std::string::npos);
  REQUIRE(s["faults"].size() == 2);
  auto rolled = s["faults"][1]["rolled_back"].get<int>();
  CHECK(r.out.find("  faults         crash worker-2 at 1 s (until 2 s); server_crash server-0 "
                   "at 3 s (rolled back " + std::to_string(rolled) + ")\n")
        != std::string::npos);
  CHECK(r.out.find("  crashed        worker-2 1x\n") != std::string::npos);
}

TEST_CASE("a stalled run's report says no version could be applied, and who waits") {
  auto dir = temp_folder("report-stalled");
  auto r = run_psim("run scenarios/crash-and-recover.toml -o '" + dir + "' "
                    "--set training.on_failure=wait --set 'faults=[{at=\"1s\", kind=\"crash\", "
                    "target=\"worker-2\"}]' --set run.stall_timeout='\"2s\"'");
  CAPTURE(r.out);
  CHECK(r.code == 1);
  CHECK(r.out.find(") stopped by stalled\n  why            no version could be applied any "
                   "more: ") != std::string::npos);
  CHECK(r.out.find("  faults         crash worker-2 at 1 s\n") != std::string::npos);
  CHECK(r.out.find("  crashed        worker-2 1x (lost: never restarted)\n") != std::string::npos);
}

} // TEST_SUITE
