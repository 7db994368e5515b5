// The numbers README.md quotes, checked against the runs that produce them: the
// quickstart's report, its figure, the timeline figure and the sweep figure. A README
// that drifts from what psim does fails here (the scenario headers: scenario_headers_test).
#include "tests/cli/plot_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <regex>

using namespace psim::test;

namespace {

const std::string readme = read_text(PSIM_SOURCE_DIR "/README.md");

/// True when README.md holds `text` (within one line of it, or across lines as written).
bool readme_says(const std::string& text) { return readme.find(text) != std::string::npos; }

/// Runs `psim <args>` in `dir` with PSIM_HOME unset; returns its standard output.
process_result run_psim_in(const std::string& dir, const std::string& args) {
  auto cmd = "cd '" + dir + "' && env -u PSIM_HOME '" PSIM_BINARY "' " + args + " >out 2>err"
             " </dev/null";
  auto status = std::system(cmd.c_str());
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_text(dir + "/out"),
          read_text(dir + "/err")};
}

/// `report` with its wall-clock seconds, the one number that differs between runs, masked.
std::string without_wall(const std::string& report) {
  return std::regex_replace(report, std::regex(R"(\(wall [0-9.e+-]+ s\))"), "(wall W s)");
}

/// The virtual time of the first metrics row of `run` whose train loss is within 5 % of
/// the noise floor 0.01 (the README's "reaches the noise floor").
double time_to_floor(const std::string& run) {
  for (const auto& row : read_metrics(run))
    if (std::stod(row.at("train_loss")) <= 0.0105)
      return std::stod(row.at("time"));
  FAIL("the run never reached the noise floor: " << run);
  return NAN;
}

/// The mean of `column` over the rows of `rows` with mode `mode` and `workers` workers.
double mean_of(const std::vector<std::map<std::string, std::string>>& rows,
               const std::string& mode, int workers, const std::string& column) {
  double sum = 0;
  int n = 0;
  for (const auto& row : rows)
    if (row.at("training.mode") == mode && std::stoi(row.at("cluster.workers")) == workers) {
      sum += std::stod(row.at(column));
      ++n;
    }
  REQUIRE(n == 3);
  return sum / n;
}

} // namespace

TEST_SUITE("cli.readme_numbers") {

TEST_CASE("the quickstart's report is the README's, but for the wall-clock time") {
  auto begin = readme.find("```\npsim: quickstart (");
  REQUIRE(begin != std::string::npos);
  begin += 4;
  auto quoted = readme.substr(begin, readme.find("```", begin) - begin);
  auto dir = temp_folder("readme-quickstart");
  auto r = run_psim_in(dir, "run"); // `tools/psim run`: the quickstart, into runs/quickstart
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  CHECK(without_wall(r.out) == without_wall(quoted));
}

TEST_CASE("the quickstart's figure: the noise floor in about 0.6 s, staleness mean 7, peak 3-4") {
  REQUIRE(readme_says("reach the noise floor (0.01) in about 0.6 s although the mean gradient "
                      "is 7"));
  REQUIRE(readme_says("the staleness of applied gradients peaks at 3 to 4 with mean 7"));
  auto run = temp_folder("readme-figure");
  REQUIRE(run_psim("run scenarios/quickstart.toml -o '" + run + "' --quiet").code == 0);
  CHECK(time_to_floor(run) == doctest::Approx(0.6).epsilon(0.1));
  auto s = read_summary(run);
  CHECK(std::round(s["staleness"]["mean"].get<double>()) == 7);
  auto histogram = s["staleness"]["histogram"].get<std::vector<int>>();
  auto peak = std::max_element(histogram.begin(), histogram.end()) - histogram.begin();
  CHECK((peak == 3 || peak == 4));
}

TEST_CASE("the timeline figure: sync waits 58 % of the time, async never; floors at 11 and 0.6 s") {
  REQUIRE(readme_says("spends 58 % of its time waiting at the barrier (orange), under async none"));
  REQUIRE(readme_says("loss reaches the floor in about 0.6 s, sync's in about 11 s"));
  REQUIRE(readme_says("idle time is the orange in the sync timeline, 58 % of the workers' time"));
  auto dir = temp_folder("readme-timeline");
  auto events = " --quiet --set trace.events=true";
  REQUIRE(run_psim("run scenarios/quickstart.toml -o '" + dir + "/sync'" + events
                   + " --set training.mode=sync").code == 0);
  REQUIRE(run_psim("run scenarios/quickstart.toml -o '" + dir + "/async'" + events).code == 0);
  auto d = describe_plot("'" + dir + "/sync' '" + dir + "/async' --log");
  std::vector<std::string> waiting;
  for (const auto& p : d["panels"])
    if (p["name"] == "timeline")
      waiting.push_back(p["series"][0]["label"].get<std::string>());
  CHECK(waiting == std::vector<std::string>{"waiting 58%", "waiting 0%"});
  CHECK(time_to_floor(dir + "/sync") == doctest::Approx(11).epsilon(0.05));
  CHECK(time_to_floor(dir + "/async") == doctest::Approx(0.6).epsilon(0.1));
}

TEST_CASE("the sweep figure: sync 4 s to 8 s, async 1.4 s to 0.17 s, 220 to 240 updates") {
  REQUIRE(readme_says("tools/psim sweep scenarios/quickstart.toml --vary training.mode=sync,async "
                      "\\\n    --vary cluster.workers=2,4,8,16 --repeat 3 --target-loss 0.015 "
                      "--set run.eval_every=5"));
  REQUIRE(readme_says("under sync (4 s to\n8 s) and shrinks under async (1.4 s to 0.17 s); "
                      "updates to reach it stay near 220 to\n240; final loss about 0.0099"));
  REQUIRE(readme_says("2 modes x 4 worker counts x 3 seeds = 24 runs"));
  auto dir = temp_folder("readme-sweep");
  auto r = run_psim("sweep scenarios/quickstart.toml --vary training.mode=sync,async --vary "
                    "cluster.workers=2,4,8,16 --repeat 3 --target-loss 0.015 --set "
                    "run.eval_every=5 --no-plot --quiet -o '" + dir + "'");
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  auto rows = read_csv(dir + "/sweep.csv");
  REQUIRE(rows.size() == 24);
  // "4 s to 8 s", "1.4 s to 0.17 s": each to the precision it is written with.
  CHECK(mean_of(rows, "sync", 2, "time_to_target") == doctest::Approx(4).epsilon(0.1));
  CHECK(mean_of(rows, "sync", 16, "time_to_target") == doctest::Approx(8).epsilon(0.1));
  CHECK(mean_of(rows, "async", 2, "time_to_target") == doctest::Approx(1.4).epsilon(0.05));
  CHECK(mean_of(rows, "async", 16, "time_to_target") == doctest::Approx(0.17).epsilon(0.05));
  for (const char* mode : {"sync", "async"})
    for (int workers : {2, 4, 8, 16}) {
      CAPTURE(mode);
      CAPTURE(workers);
      auto updates = mean_of(rows, mode, workers, "version_to_target");
      CHECK(updates >= 210);
      CHECK(updates <= 250);
      auto loss = mean_of(rows, mode, workers, "train_loss");
      CHECK(loss == doctest::Approx(0.0099).epsilon(0.03));
      if (std::string(mode) == "async" && workers >= 8)
        CHECK(loss > mean_of(rows, "sync", workers, "train_loss"));
    }
}

}
