// Sharded parameter servers (cluster.servers = S): contiguous balanced key ranges,
// one link per (worker, shard), per-shard versions, and the skew workers read.
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "tests/support/descent.hpp"
#include "tests/support/expectations.hpp"
#include "tests/support/scenario_run.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace psim;
using test::run_text;

namespace {

const std::string base = R"(
seed = 43
[run]
stop = { updates = 30 }
eval_every = 1
[data]
samples = 200
features = 4
noise = 0.05
[training]
learning_rate = 0.1
batch_size = 8
[cluster]
workers = 4
servers = 2
[compute]
time = "10ms"
[network]
latency = "1ms"
)";

std::uint64_t counter(const nlohmann::ordered_json& g, const char* name) {
  return g[name].get<std::uint64_t>();
}

} // namespace

TEST_SUITE("actors.shards") {

TEST_CASE("sync over three shards with whole-shard batches equals full-batch descent") {
  auto dir = run_text(base, {"training.mode=sync", "training.batch_size=0", "cluster.servers=3"});
  auto s = test::read_summary(dir);
  auto params = s["params"].get<std::vector<double>>();
  REQUIRE(params.size() == 5);
  CHECK(test::close_to(params, test::full_batch_descent(base, {}, 30, 0.1)));
  REQUIRE(s["shards"].size() == 3);
  for (const auto& shard : s["shards"]) {
    CHECK(shard["version"] == 30);
    CHECK(counter(shard["gradients"], "applied") == 120);
  }
  // Every row is taken once all shards applied its version.
  auto rows = test::read_metrics(dir);
  REQUIRE(rows.size() == 31);
  CHECK(rows[30]["version"] == "30");
}

TEST_CASE("async shards apply independently; workers read ranges of different versions") {
  auto dir = run_text(base, {"training.mode=async",
                             "network.latency={dist=\"exponential\", mean=\"3ms\"}",
                             "run.stop={updates=400}"});
  auto s = test::read_summary(dir);
  CHECK(s["version_skew"]["max"].get<int>() > 0);
  CHECK(s["version_skew"]["mean"].get<double>() > 0);
  for (const auto& shard : s["shards"]) {
    test::check_conservation(shard["gradients"]);
    CHECK(shard["staleness"]["mean"].get<double>() > 1);
  }
}

TEST_CASE("each worker talks to each shard over its own links") {
  auto s = test::read_summary(run_text(base, {"training.mode=sync", "run.stop={updates=5}"}));
  // Per version: 4 workers x 2 shards pushes and, before it, 2 shards x 4 workers
  // parameter messages (the initial ones, then a broadcast per version but the last).
  CHECK(s["messages"]["sent"] == 5 * 16);
}

TEST_CASE("the gradient counters add up per shard in every mode under faults") {
  const std::string hostile = base + R"(
[[faults]]
at = "100ms"
kind = "crash"
target = "worker-1"
restart_after = "100ms"
[[faults]]
at = "250ms"
kind = "server_crash"
target = "server-1"
)";
  for (auto mode : {"sync", "async", "ssp", "ksync", "kasync", "local_sgd"}) {
    CAPTURE(mode);
    auto s = test::read_summary(run_text(
      hostile, {std::string{"training.mode="} + mode, "training.k=2", "network.drop=0.05",
                "network.timeout=\"30ms\"", "checkpoint.every=5",
                "compute.time={dist=\"exponential\", mean=\"10ms\"}", "run.stop={time=0.6}"}));
    CHECK(s["stopped_by"] == "time");
    for (const auto& shard : s["shards"]) {
      CHECK(counter(shard["gradients"], "applied") > 0);
      test::check_conservation(shard["gradients"]);
    }
  }
}

}
