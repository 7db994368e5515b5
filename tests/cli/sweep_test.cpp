// psim sweep: it runs exactly the grid of values times seeds, one folder per run,
// resumes without rerunning what finished, and its table and figure aggregate the
// repeats right.
#include "tests/cli/plot_support.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

using namespace psim::test;

namespace {

namespace fs = std::filesystem;

std::set<std::string> subfolders(const std::string& dir) {
  std::set<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.is_directory())
      out.insert(entry.path().filename().string());
  return out;
}

// Runs the tiny scenario's sweep over mode x workers into a fresh folder.
std::string sweep_into(const std::string& extra, process_result& r) {
  auto dir = temp_folder("sweep") + "/out";
  r = run_psim("sweep '" + tiny_scenario_file() + "' -o '" + dir
               + "' --vary training.mode=sync,async --vary cluster.workers=2,3 " + extra);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  return dir;
}

} // namespace

TEST_SUITE("cli.sweep") {

TEST_CASE("a sweep runs exactly the grid of values times seeds, each in its own folder") {
  process_result r;
  auto dir = sweep_into("--repeat 2 -j 2 --no-plot", r);
  std::set<std::string> expected;
  for (auto mode : {"sync", "async"})
    for (auto workers : {"2", "3"})
      for (auto seed : {"1", "2"})
        expected.insert(std::string{"mode="} + mode + ",workers=" + workers + ",seed=" + seed);
  CHECK(subfolders(dir) == expected);
  CHECK(csv_header(dir + "/sweep.csv")
        == std::vector<std::string>{"run", "training.mode", "cluster.workers", "seed",
                                    "stopped_by", "version", "time_s", "train_loss",
                                    "test_loss", "test_accuracy", "staleness_mean",
                                    "staleness_max", "gradients_applied", "gradients_lost",
                                    "messages_dropped", "messages_resent", "best_train_loss",
                                    "train_loss_tail", "wall_s"});
  auto rows = read_csv(dir + "/sweep.csv");
  REQUIRE(rows.size() == 8);
  std::set<std::string> runs;
  for (auto& row : rows) {
    runs.insert(row["run"]);
    auto summary = read_summary(dir + "/" + row["run"]);
    CHECK(summary["mode"] == row["training.mode"]);
    CHECK(summary["seed"].get<int>() == std::stoi(row["seed"]));
    CHECK(summary["workers"].size() == std::stoul(row["cluster.workers"]));
    CHECK(summary["final"]["train_loss"].get<double>() == std::stod(row["train_loss"]));
    CHECK(row["stopped_by"] == "updates");
    CHECK(row["version"] == "200");
  }
  CHECK(runs == expected);
  CHECK(r.out.find("8 runs in " + dir + "; 0 finished before (skipped), 8 to run, 2 at a time")
        != std::string::npos);
  CHECK(!fs::exists(dir + "/sweep.png"));
}

TEST_CASE("a second sweep skips finished runs and reruns only those missing or changed") {
  process_result r;
  auto dir = sweep_into("--no-plot", r);
  // mark one run's summary: a rerun would overwrite it
  auto marked = dir + "/mode=async,workers=3,seed=1";
  auto summary = read_summary(marked);
  summary["final"]["train_loss"] = 12345.0;
  write_text(marked + "/summary.json", summary.dump());
  fs::remove(dir + "/mode=sync,workers=2,seed=1/summary.json");

  auto again = run_psim("sweep '" + tiny_scenario_file() + "' -o '" + dir
                        + "' --vary training.mode=sync,async --vary cluster.workers=2,3 --no-plot");
  CAPTURE(again.err);
  REQUIRE(again.code == 0);
  CHECK(again.out.find("4 runs in " + dir + "; 3 finished before (skipped), 1 to run")
        != std::string::npos);
  CHECK(again.out.find("[1/1] mode=sync,workers=2,seed=1: stopped by updates") != std::string::npos);
  CHECK(read_summary(marked)["final"]["train_loss"].get<double>() == 12345.0);
  auto rows = read_csv(dir + "/sweep.csv");
  REQUIRE(rows.size() == 4);
  CHECK(rows[3]["run"] == "mode=async,workers=3,seed=1");
  CHECK(rows[3]["train_loss"] == "12345.0");

  // the same grid with another learning rate is another experiment: all run again
  auto changed = run_psim("sweep '" + tiny_scenario_file() + "' -o '" + dir
                          + "' --vary training.mode=sync,async --vary cluster.workers=2,3"
                            " --set training.learning_rate=0.04 --no-plot");
  CHECK(changed.code == 0);
  CHECK(changed.out.find("0 finished before (skipped), 4 to run") != std::string::npos);
  CHECK(read_summary(marked)["final"]["train_loss"].get<double>() != 12345.0);
}

TEST_CASE("the sweep figure shows per grid point the mean and spread of the repeats") {
  process_result r;
  auto dir = sweep_into("--repeat 3 --target-loss 0.05", r);
  CHECK(r.out.find("wrote " + dir + "/sweep.csv, sweep.json, sweep.png") != std::string::npos);
  CHECK(is_png(dir + "/sweep.png"));
  auto rows = read_csv(dir + "/sweep.csv");
  REQUIRE(rows.size() == 12);
  auto d = describe_plot("'" + dir + "'");
  std::vector<std::string> panels;
  for (const auto& p : d["panels"])
    panels.push_back(p["name"]);
  CHECK(panels == std::vector<std::string>{"time_to_target", "version_to_target", "train_loss"});
  CHECK(panel(d, "time_to_target")["ylabel"] == "virtual time (s)");
  for (const auto& metric : {"time_to_target", "train_loss"}) {
    const auto& p = panel(d, metric);
    CHECK(p["xlabel"] == "workers");
    REQUIRE(p["series"].size() == 2);
    for (const auto& s : p["series"]) {
      auto mode = s["label"].get<std::string>().substr(5);
      CHECK(s["label"].get<std::string>().rfind("mode=", 0) == 0);
      REQUIRE(s["points"] == 2);
      for (std::size_t i = 0; i < 2; ++i) {
        auto workers = s["x"][i].get<double>();
        std::vector<double> values;
        for (auto& row : rows)
          if (row["training.mode"] == mode && std::stod(row["cluster.workers"]) == workers)
            values.push_back(std::stod(row[metric]));
        REQUIRE(values.size() == 3);
        double mean = (values[0] + values[1] + values[2]) / 3;
        double var = 0;
        for (auto v : values)
          var += (v - mean) * (v - mean) / 2;
        CHECK(s["n"][i] == 3);
        CHECK(s["y"][i].get<double>() == doctest::Approx(mean).epsilon(1e-12));
        CHECK(s["spread"][i].get<double>() == doctest::Approx(std::sqrt(var)).epsilon(1e-9));
      }
    }
  }
  // another varied key across: its values as categories, one series per worker count
  auto by_mode = describe_plot("'" + dir + "' --x mode --y train_loss");
  REQUIRE(by_mode["panels"].size() == 1);
  const auto& series = panel(by_mode, "train_loss")["series"];
  REQUIRE(series.size() == 2);
  CHECK(series[0]["label"] == "workers=2");
  CHECK(series[1]["label"] == "workers=3");
  CHECK(series[0]["x"] == nlohmann::json::array({"sync", "async"}));
  CHECK(panel(by_mode, "train_loss")["xlabel"] == "mode");

  // the table printed at the end agrees: sync, 2 workers
  std::vector<double> sync2;
  for (auto& row : rows)
    if (row["training.mode"] == "sync" && row["cluster.workers"] == "2")
      sync2.push_back(std::stod(row["train_loss"]));
  char expected[64];
  std::snprintf(expected, sizeof expected, "  sync   2        3     %.4g ± ",
                (sync2[0] + sync2[1] + sync2[2]) / 3);
  CHECK(r.out.find(expected) != std::string::npos);
}

TEST_CASE("the time to the target is that of the first metrics row at or below it") {
  process_result r;
  auto dir = sweep_into("--target-loss 0.05 --no-plot", r);
  for (auto& row : read_csv(dir + "/sweep.csv")) {
    std::string time, version;
    for (auto& m : read_metrics(dir + "/" + row["run"]))
      if (std::stod(m["train_loss"]) <= 0.05) {
        time = m["time"];
        version = m["version"];
        break;
      }
    CHECK(!time.empty());
    CHECK(row["time_to_target"] == time);
    CHECK(row["version_to_target"] == version);
  }
}

TEST_CASE("diverged runs are counted, never averaged, and marked in the figure") {
  auto dir = temp_folder("sweep") + "/out";
  auto r = run_psim("sweep '" + tiny_scenario_file() + "' -o '" + dir
                    + "' --vary training.learning_rate=0.05,3.0 --vary training.mode=sync,async"
                      " --repeat 2 --target-loss 0.05 --tail 3");
  CAPTURE(r.err);
  CHECK(r.code == 1);
  CHECK(r.out.find("  3.0            sync   2     -                         - (0/2)"
                   "                             2/2 diverged\n") != std::string::npos);
  CHECK(r.out.find("; 4 of 8 runs failed (4 diverged or stalled, 0 did not finish)\n")
        != std::string::npos);
  auto rows = read_csv(dir + "/sweep.csv");
  REQUIRE(rows.size() == 8);
  for (auto& row : rows) {
    auto metrics = read_metrics(dir + "/" + row["run"]);
    double best = 1e300, tail = 0;
    for (auto& m : metrics)
      best = std::min(best, std::stod(m["train_loss"]));
    auto k = std::min<std::size_t>(3, metrics.size()); // a diverged run has fewer rows
    for (std::size_t i = metrics.size() - k; i < metrics.size(); ++i)
      tail += std::stod(metrics[i]["train_loss"]) / static_cast<double>(k);
    CHECK(std::stod(row["best_train_loss"]) == best);
    CHECK(std::stod(row["train_loss_tail"]) == doctest::Approx(tail).epsilon(1e-12));
  }
  auto d = describe_plot("'" + dir + "' --x mode");
  // "never reached" counts each run once; the diverged ones are not among them
  CHECK(panel(d, "time_to_target")["title"]
        == "time to reach train loss \u2264 0.05\n(4 runs diverged or stalled, left out)");
  const auto& series = panel(d, "train_loss")["series"];
  REQUIRE(series.size() == 3);
  CHECK(series[0]["joined"] == false); // modes are categories: no line between them
  CHECK(series[1]["n"] == nlohmann::json::array({0, 0}));
  CHECK(series[2]["kind"] == "failed");
  CHECK(series[2]["failed"] == nlohmann::json::array({2, 2}));
}

TEST_CASE("a bad --vary is a usage error before anything runs") {
  auto dir = temp_folder("sweep") + "/out";
  auto base = "sweep '" + tiny_scenario_file() + "' -o '" + dir + "' --no-plot ";
  auto no_values = run_psim(base + "--vary training.mode");
  CHECK(no_values.code == 2);
  CHECK(no_values.err.find("--vary training.mode: expected KEY=V1,V2,...") != std::string::npos);
  auto bad_value = run_psim(base + "--vary training.mode=sync,asynch");
  CHECK(bad_value.code == 2);
  CHECK(bad_value.err.find("psim: error: --vary:1:") != std::string::npos);
  CHECK(bad_value.err.find("asynch") != std::string::npos);
  auto seed = run_psim(base + "--vary seed=1,2");
  CHECK(seed.code == 2);
  CHECK(seed.err.find("--repeat") != std::string::npos);
  CHECK(!fs::exists(dir));
}

TEST_CASE("plotting a sweep's run folders names each by what varies") {
  process_result r;
  auto dir = sweep_into("--vary training.learning_rate=0.05 --no-plot", r);
  auto d = describe_plot("'" + dir + "/mode=sync,workers=2,learning_rate=0.05,seed=1' '" + dir
                         + "/mode=async,workers=3,learning_rate=0.05,seed=1'");
  const auto& loss = panel(d, "loss");
  REQUIRE(loss["series"].size() == 2);
  CHECK(loss["series"][0]["label"] == "mode=sync, workers=2");
  CHECK(loss["series"][1]["label"] == "mode=async, workers=3");
}

} // TEST_SUITE
