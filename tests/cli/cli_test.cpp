// The command line as a user meets it: exit codes, error messages that say where and
// what, no output for a bad scenario, the files a run writes.
#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace psim::test;

namespace {

// Writes `toml` to bad.toml in a fresh folder, runs it with -o into a folder that does
// not exist yet, and checks exit 2, the message, and that nothing was written.
void expect_scenario_error(const std::string& toml, const std::string& where,
                           const std::string& says, const std::string& extra = "") {
  auto dir = temp_folder("bad");
  auto file = dir + "/bad.toml";
  write_text(file, toml);
  auto out = dir + "/run";
  auto r = run_psim("run '" + file + "' -o '" + out + "' " + extra);
  CAPTURE(r.err);
  CHECK(r.code == 2);
  CHECK(r.err.rfind("psim: error: ", 0) == 0);
  CHECK(r.err.find(where) != std::string::npos);
  CHECK(r.err.find(says) != std::string::npos);
  CHECK(!std::filesystem::exists(out));
}

} // namespace

TEST_SUITE("cli") {

TEST_CASE("an unknown key is an error naming file, line, column and a suggestion") {
  expect_scenario_error("[training]\nlerning_rate = 0.1\n", "bad.toml:2:1: training.lerning_rate",
                        "did you mean \"learning_rate\"");
}

TEST_CASE("a value of the wrong type is an error saying what was found and allowed") {
  expect_scenario_error("[cluster]\nworkers = \"four\"\n", "bad.toml:2:11: cluster.workers",
                        "allowed");
}

TEST_CASE("an out-of-range value is an error") {
  expect_scenario_error("[cluster]\nworkers = 0\n", "bad.toml:2:11: cluster.workers", "found 0");
}

TEST_CASE("an unknown choice is an error listing the choices") {
  expect_scenario_error("[training]\nmode = \"asynch\"\n", "bad.toml:2:8: training.mode",
                        "sync | async");
}

TEST_CASE("a TOML syntax error is reported where it stands") {
  expect_scenario_error("[run]\nstop = { updates = }\n", "bad.toml:2:", "");
}

TEST_CASE("a bad duration is an error showing the allowed forms") {
  expect_scenario_error("[network]\nlatency = \"10 parsecs\"\n", "bad.toml:2:11: network.latency",
                        "\"10ms\"");
}

TEST_CASE("a bad --set value is reported as coming from --set") {
  expect_scenario_error("", "--set:1:", "cluster.workers", "--set cluster.workers=-2");
}

TEST_CASE("a CSV file with a non-numeric cell is an error naming its line and column") {
  auto dir = temp_folder("csv");
  write_text(dir + "/d.csv", "x,y\n1,2\n3,oops\n");
  expect_scenario_error("[data]\nsource = \"csv\"\npath = \"" + dir + "/d.csv\"\ntarget = \"y\"\n",
                        "d.csv:3:3", "oops");
}

TEST_CASE("a missing scenario file is an error") {
  auto r = run_psim("run /nonexistent/x.toml");
  CHECK(r.code == 2);
  CHECK(r.err.find("/nonexistent/x.toml") != std::string::npos);
}

TEST_CASE("check accepts good scenarios and rejects bad ones with exit 2") {
  auto ok = run_psim("check scenarios/quickstart.toml scenarios/seed-linear-regression.toml");
  CHECK(ok.code == 0);
  CHECK(ok.out.find("ok: scenarios/quickstart.toml") != std::string::npos);
  auto dir = temp_folder("check");
  write_text(dir + "/bad.toml", "seed = -1\n");
  auto bad = run_psim("check scenarios/quickstart.toml '" + dir + "/bad.toml'");
  CHECK(bad.code == 2);
  CHECK(bad.err.find("bad.toml:1:8: seed") != std::string::npos);
}

TEST_CASE("a run writes metrics, summary and the resolved scenario, which reruns "
          "identically") {
  auto dir = temp_folder("rerun");
  auto r = run_psim("run scenarios/quickstart.toml -o '" + dir + "/a' --quiet --set "
                    "run.stop='{updates=200}'");
  REQUIRE(r.code == 0);
  CHECK(r.out.empty());
  auto metrics = read_text(dir + "/a/metrics.csv");
  CHECK(metrics.rfind("time,wall,version,gradients,train_loss,test_loss,test_accuracy,"
                      "staleness_mean\n", 0) == 0);
  auto resolved = read_text(dir + "/a/scenario.toml");
  CHECK(resolved.find("updates = 200") != std::string::npos);
  CHECK(resolved.find("eval_every = 20") != std::string::npos);
  auto again = run_psim("run '" + dir + "/a/scenario.toml' -o '" + dir + "/b' --quiet");
  REQUIRE(again.code == 0);
  CHECK(metrics_without_wall(dir + "/a") == metrics_without_wall(dir + "/b"));
  CHECK(read_summary(dir + "/a")["version"] == 200);
}

TEST_CASE("a diverging run exits with 1 and says why") {
  auto dir = temp_folder("diverge");
  auto r = run_psim("run scenarios/quickstart.toml -o '" + dir + "' --set training.learning_rate=50");
  CHECK(r.code == 1);
  CHECK(read_summary(dir)["stopped_by"] == "diverged");
  CHECK(r.err.find("diverged") != std::string::npos);
}

}

TEST_SUITE("cli") {

TEST_CASE("more server shards than parameters is an error naming the key") {
  expect_scenario_error("[cluster]\nservers = 3\n", "bad.toml: cluster.servers",
                        "found 3 server shards for a model of 2 parameters");
}

}
