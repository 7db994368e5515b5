// summary.json: every contract key in order, null where a value is undefined, the
// staleness derived from the histogram.
#include "sim/output/summary.hpp"
#include "tests/support/run_files.hpp"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>

using namespace psim;

TEST_SUITE("sim.output.summary") {

TEST_CASE("the summary holds every contract key and derives staleness from the histogram") {
  auto dir = test::temp_folder("summary");
  sim::run_summary s;
  s.name = "x";
  s.seed = 42;
  s.mode = "async";
  s.clock = "virtual";
  s.stopped_by = sim::stop_reason::loss;
  s.version = 10;
  s.time_s = 0.1;
  s.train_loss = 0.25;
  s.params = {2.0, 1.0};
  s.staleness_histogram = {1, 0, 3};
  s.workers.push_back(sim::worker_summary{0, 4, 0, "local", {}, 250, {}, {}, 0});
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
  CHECK(j["stopped_by"] == "loss");
  CHECK(j["final"]["test_loss"].is_null());
  CHECK(j["staleness"]["mean"].get<double>() == 1.5);
  CHECK(j["staleness"]["max"] == 2);
  CHECK(j["time_s"].get<double>() == 0.1);
  CHECK(j["time_per_version_s"].get<double>() == 0.1 / 10);
  CHECK(j["workers"][0]["gradients"] == 4);
  CHECK(j["workers"][0]["rows"] == 250);
  CHECK(!j["workers"][0].contains("labels"));
}

TEST_CASE("the summary written in parts has the bytes of its whole document's dump") {
  // Histograms and workers are written as text one value at a time; the file must be what
  // nlohmann's dump(2) makes of the whole document, whatever the strings hold.
  auto dir = test::temp_folder("summary-parts");
  sim::run_summary s;
  s.name = "@psim-part-0@";
  s.mode = "async";
  s.clock = "virtual";
  s.stopped_by = sim::stop_reason::failed;
  s.error = "x\": \"@psim-part-1@\" and a line\nbreak";
  s.staleness_histogram = {7, 0, 18'446'744'073'709'551'615ULL};
  s.shards.push_back(sim::shard_summary{0, 3, {}, {1, 2}, 0});
  s.shards.push_back(sim::shard_summary{1, 0, {}, {}, 0});
  s.workers.push_back(sim::worker_summary{0, 4, 0, "local", {}, 250, {3, 1}, false, 0.5, 2});
  s.workers.push_back(sim::worker_summary{1, 0, 1, "h:1", {1.5}, 0, {}, true, {}, 0});
  s.faults.push_back(sim::fault_summary{});
  sim::write_summary(dir + "/summary.json", s);
  std::ifstream in(dir + "/summary.json", std::ios::binary);
  std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto whole = nlohmann::ordered_json::parse(text);
  CHECK(text == whole.dump(2) + "\n");
  CHECK(whole["name"] == "@psim-part-0@");
  CHECK(whole["staleness"]["histogram"].size() == 3);
  CHECK(whole["shards"][0]["staleness"]["histogram"] == nlohmann::ordered_json{1, 2});
  CHECK(whole["shards"][1]["staleness"]["histogram"].empty());
  CHECK(whole["workers"][1]["never_computed"] == true);
  CHECK(sim::summary_json(s) == text);
  s.workers.clear();
  s.staleness_histogram.clear();
  auto empty = sim::summary_json(s);
  CHECK(empty == nlohmann::ordered_json::parse(empty).dump(2) + "\n");
}

TEST_CASE("params are left out of the summary for models over 1000 parameters") {
  auto dir = test::temp_folder("summary-big");
  sim::run_summary s;
  s.params.assign(1001, 0.5);
  sim::write_summary(dir + "/summary.json", s);
  CHECK(!test::read_summary(dir).contains("params"));
}

TEST_CASE("the staleness statistics are the histogram's mean and largest value") {
  auto stats = sim::staleness_of({2, 0, 0, 2});
  CHECK(stats.mean == 1.5);
  CHECK(stats.max == 3);
  CHECK(!sim::staleness_of({}).mean);
  CHECK(sim::staleness_of({0, 0}).max == 0);
}

TEST_CASE("a summary that cannot be written is an error, not a half file") {
  auto dir = test::temp_folder("summary-blocked");
  std::filesystem::create_directories(dir + "/summary.json/inside");
  CHECK_THROWS(sim::write_summary(dir + "/summary.json", sim::run_summary{}));
}

}
