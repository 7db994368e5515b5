// metrics.csv and summary.json: columns in contract order, empty cells where a value
// is undefined, numbers that read back exactly.
#include "sim/output/trace.hpp"
#include "tests/support/run_files.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace psim;

TEST_SUITE("sim.trace") {

TEST_CASE("metrics rows have the contract's columns and numbers that read back exactly") {
  auto dir = test::temp_folder("trace");
  {
    sim::metrics_writer w{dir + "/metrics.csv"};
    sim::metrics_row row;
    row.time = 0.1;
    row.wall = 1.0 / 3.0;
    row.version = 7;
    row.gradients = 28;
    row.train_loss = 2.0 / 3.0;
    row.staleness_mean = 3;
    w.write(row);
    // Rows are flushed as they are written.
    CHECK(test::read_text(dir + "/metrics.csv").find("\n0.1,") != std::string::npos);
  }
  auto rows = test::read_metrics(dir);
  REQUIRE(rows.size() == 1);
  CHECK(std::stod(rows[0]["wall"]) == 1.0 / 3.0);
  CHECK(std::stod(rows[0]["train_loss"]) == 2.0 / 3.0);
  CHECK(rows[0]["test_loss"].empty());
  CHECK(rows[0]["test_accuracy"].empty());
  CHECK(rows[0]["staleness_mean"] == "3");
  CHECK(test::read_text(dir + "/metrics.csv").rfind(
          "time,wall,version,gradients,train_loss,test_loss,test_accuracy,staleness_mean\n",
          0)
        == 0);
}

TEST_CASE("the summary holds every contract key and derives staleness from the histogram") {
  auto dir = test::temp_folder("summary");
  sim::run_summary s;
  s.name = "x";
  s.seed = 42;
  s.mode = "async";
  s.clock = "virtual";
  s.stopped_by = "updates";
  s.version = 10;
  s.time_s = 0.1;
  s.train_loss = 0.25;
  s.params = {2.0, 1.0};
  s.staleness_histogram = {1, 0, 3};
  s.workers.push_back(sim::worker_summary{0, 4, 0, "local", {}, 250, {}});
  sim::write_summary(dir + "/summary.json", s);
  CHECK(!std::filesystem::exists(dir + "/summary.json.tmp"));
  auto j = test::read_summary(dir);
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it)
    keys.push_back(it.key());
  CHECK(keys
        == std::vector<std::string>{"name", "seed", "mode", "clock", "deterministic",
                                    "stopped_by", "version", "time_s", "wall_s",
                                    "time_per_version_s", "final",
                                    "params", "gradients", "staleness", "messages",
                                    "workers", "faults"});
  CHECK(j["final"]["test_loss"].is_null());
  CHECK(j["staleness"]["mean"].get<double>() == 1.5);
  CHECK(j["staleness"]["max"] == 2);
  CHECK(j["time_s"].get<double>() == 0.1);
  CHECK(j["time_per_version_s"].get<double>() == 0.1 / 10);
  CHECK(j["workers"][0]["gradients"] == 4);
  CHECK(j["workers"][0]["rows"] == 250);
  CHECK(!j["workers"][0].contains("labels"));
}

TEST_CASE("params are left out of the summary for models over 1000 parameters") {
  auto dir = test::temp_folder("summary-big");
  sim::run_summary s;
  s.params.assign(1001, 0.5);
  sim::write_summary(dir + "/summary.json", s);
  CHECK(!test::read_summary(dir).contains("params"));
}

}
