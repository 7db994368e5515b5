// Sync and async descent under the virtual clock, end to end through the runtime:
// exact parameters, exact staleness, exact virtual times, reproducibility.
#include "actors/runtime/runtime.hpp"
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/support/descent.hpp"
#include "tests/support/expectations.hpp"
#include "tests/support/scenario_run.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace psim;

namespace {

using test::run_text;

// Runs the scenario `toml` in a fresh folder and returns the folder.
std::string run(const std::string& toml, const std::vector<std::string>& overrides = {}) {
  return run_text(toml, overrides);
}

const std::string base = R"(
seed = 7
[run]
stop = { updates = 40 }
eval_every = 1
[data]
samples = 200
features = 3
weights = [1.5, -2.0, 0.5]
bias = 0.25
noise = 0.05
[training]
learning_rate = 0.2
[cluster]
workers = 4
[compute]
time = "10ms"
[network]
latency = "0s"
bandwidth = 1e18
)";

} // namespace

TEST_SUITE("actors.training") {

TEST_CASE("sync with whole-shard batches equals full-batch gradient descent") {
  auto dir = run(base, {"training.mode=sync", "training.batch_size=0"});
  auto summary = test::read_summary(dir);
  auto params = summary["params"].get<std::vector<double>>();
  REQUIRE(params.size() == 4);
  CHECK(test::close_to(params, test::full_batch_descent(base, {}, 40, 0.2)));
  CHECK(summary["staleness"]["max"] == 0);
  CHECK(summary["gradients"]["applied"] == 160);
}

TEST_CASE("async with equal constant compute and no delay has staleness P-1 after the "
          "first round") {
  auto dir = run(base, {"training.mode=async"});
  auto summary = test::read_summary(dir);
  auto hist = summary["staleness"]["histogram"].get<std::vector<std::uint64_t>>();
  CHECK(hist == std::vector<std::uint64_t>{1, 1, 1, 37});
  // Four gradients per 10 ms: version 40 is applied at the end of round 10.
  CHECK(summary["time_s"].get<double>() == 0.1);
  CHECK(summary["version"] == 40);
}

TEST_CASE("link latency and bandwidth give exact virtual round times") {
  // params: 4 doubles + 64 bytes header = 96 bytes at 1 MB/s = 96 us, then 2 ms latency;
  // one round: down 2.096 ms, compute 10 ms, up 2.096 ms = 14.192 ms.
  auto dir = run(base, {"training.mode=sync", "network.latency=\"2ms\"",
                        "network.bandwidth=\"1MB/s\"", "run.stop={updates=5}"});
  auto rows = test::read_metrics(dir);
  REQUIRE(rows.size() == 6);
  for (std::size_t v = 0; v <= 5; ++v) {
    CHECK(rows[v]["version"] == std::to_string(v));
    CHECK(std::stod(rows[v]["time"]) == static_cast<double>(v * 14'192'000) / 1e9);
  }
}

TEST_CASE("two runs of the same scenario and seed write identical files") {
  auto noisy = base + R"(
[trace]
)";
  std::vector<std::string> set{"training.mode=async",
                               "compute.time={dist=\"exponential\", mean=\"10ms\"}",
                               "network.latency={dist=\"uniform\", min=\"1ms\", max=\"3ms\"}",
                               "run.stop={updates=300}"};
  auto a = run(base, set);
  auto b = run(base, set);
  CHECK(test::metrics_without_wall(a) == test::metrics_without_wall(b));
  auto sa = test::read_summary(a), sb = test::read_summary(b);
  sa.erase("wall_s");
  sb.erase("wall_s");
  CHECK(sa.dump() == sb.dump());
  // A different seed changes the trace.
  set.push_back("seed=8");
  CHECK(test::metrics_without_wall(run(base, set)) != test::metrics_without_wall(a));
}

TEST_CASE("the gradient counters add up in sync and async") {
  for (auto mode : {"sync", "async"}) {
    CAPTURE(mode);
    auto dir = run(base, {std::string{"training.mode="} + mode,
                          "compute.time={dist=\"exponential\", mean=\"10ms\"}",
                          "network.latency=\"1ms\"", "run.stop={time=0.2}"});
    auto g = test::read_summary(dir)["gradients"];
    CHECK(g["computed"].get<std::uint64_t>() > 0);
    test::check_conservation(g);
    CHECK(g["in_flight"].get<std::uint64_t>() <= 8);
  }
}

TEST_CASE("a time limit stops the run at exactly that virtual time") {
  auto dir = run(base, {"training.mode=async", "run.stop={time=0.055}"});
  auto summary = test::read_summary(dir);
  CHECK(summary["stopped_by"] == "time");
  CHECK(summary["time_s"].get<double>() == 0.055);
  // Rounds end at 10, 20, ..., 50 ms: 5 rounds of 4 gradients.
  CHECK(summary["version"] == 20);
}

TEST_CASE("a loss target stops the run at the first row at or below it") {
  auto dir = run(base, {"training.mode=sync", "run.stop={loss=0.05, updates=10000}"});
  auto summary = test::read_summary(dir);
  CHECK(summary["stopped_by"] == "loss");
  CHECK(summary["final"]["train_loss"].get<double>() <= 0.05);
  auto rows = test::read_metrics(dir);
  REQUIRE(rows.size() >= 2);
  CHECK(std::stod(rows[rows.size() - 2]["train_loss"]) > 0.05);
}

TEST_CASE("a learning rate that is far too large ends as diverged") {
  auto dir = run(base, {"training.learning_rate=5.0", "run.stop={updates=10000}"});
  CHECK(test::read_summary(dir)["stopped_by"] == "diverged");
}

TEST_CASE("async with drop_stale discards exactly the gradients staler than the bound") {
  auto dir = run(base, {"training.mode=async", "training.drop_stale=1"});
  auto summary = test::read_summary(dir);
  // Round 1 applies staleness 0 and 1 and discards 2 and 3; from then on each round
  // sees the same pattern, so half of the gradients are discarded.
  auto g = summary["gradients"];
  CHECK(summary["staleness"]["max"] == 1);
  CHECK(g["discarded_stale"].get<std::uint64_t>() > 0);
  CHECK(g["applied"] == 40);
}

TEST_CASE("async with one worker and whole-shard batches equals gradient descent") {
  auto dir = run(base, {"training.mode=async", "training.batch_size=0", "cluster.workers=1"});
  auto params = test::read_summary(dir)["params"].get<std::vector<double>>();
  CHECK(test::close_to(params, test::full_batch_descent(base, {"cluster.workers=1"}, 40, 0.2)));
}

TEST_CASE("the real clock runs the same actors to the same stop condition and converges") {
  auto dir = run(base, {"run.clock=\"real\"", "training.mode=async", "compute.time=\"1ms\"",
                        "training.learning_rate=0.05",
                        "network.latency=\"100us\"", "run.stop={updates=200}",
                        "run.eval_every=10"});
  auto summary = test::read_summary(dir);
  CHECK(summary["stopped_by"] == "updates");
  CHECK(summary["version"] == 200);
  CHECK(summary["deterministic"] == false);
  auto rows = test::read_metrics(dir);
  REQUIRE(rows.size() >= 2);
  CHECK(std::stod(rows.back()["train_loss"]) < std::stod(rows.front()["train_loss"]) / 10);
}

TEST_CASE("sync and allreduce reach their stop under the real clock") {
  // Sync broadcasts one shared θ and the ring forwards chunks: under the real clock the
  // links stamp them beside the payload (hop_stamp), which the workers must take.
  for (const std::string mode : {"sync", "allreduce"}) {
    CAPTURE(mode);
    auto dir = run(base, {"run.clock=\"real\"", "training.mode=" + mode,
                          "compute.time=\"1ms\"", "network.latency=\"100us\"",
                          "run.stop={updates=30}", "run.eval_every=10"});
    auto summary = test::read_summary(dir);
    CHECK(summary["stopped_by"] == "updates");
    CHECK(summary["version"] == 30);
  }
}

TEST_CASE("a real-clock run without drops loses nothing: the unreceived are in flight") {
  // Many fast workers leave pushes in mailboxes when the stop comes; none is lost.
  auto dir = run(base, {"run.clock=\"real\"", "training.mode=async", "cluster.workers=32",
                        "training.learning_rate=0.01",
                        "compute.time=\"100us\"", "network.latency=\"50us\"",
                        "run.stop={updates=300}", "run.eval_every=50"});
  auto summary = test::read_summary(dir);
  CHECK(summary["stopped_by"] == "updates");
  CHECK(summary["messages"]["dropped"] == 0);
  auto g = summary["gradients"];
  CHECK(g["lost"] == 0);
  CHECK(g["applied"].get<std::uint64_t>() >= 300);
  test::check_conservation(g);
}

}
