// The defining rule of each consistency model (DESIGN §3), under the virtual clock:
// checked against independent computations, exact times, or the event trace.
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "tests/support/expectations.hpp"
#include "tests/support/params_close.hpp"
#include "tests/support/scenario_run.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <map>

using namespace psim;
using test::check_close;
using test::params_of;
using test::run_text;

namespace {

const std::string base = R"(
seed = 11
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
learning_rate = 0.1
batch_size = 8
[cluster]
workers = 4
[compute]
time = "10ms"
[network]
latency = "0s"
bandwidth = 1e18
)";

std::string fmt_bound(int bound) {
  return "training.staleness_bound=" + std::to_string(bound);
}

std::uint64_t counter(const nlohmann::ordered_json& summary, const char* name) {
  return summary["gradients"][name].get<std::uint64_t>();
}

} // namespace

TEST_SUITE("actors.modes") {

TEST_CASE("the gradient counters add up in every mode") {
  for (auto mode : {"sync", "async", "ssp", "ksync", "kasync", "local_sgd", "allreduce"}) {
    CAPTURE(mode);
    auto dir = run_text(base, {std::string{"training.mode="} + mode, "training.k=3",
                               "training.local_steps=3", "training.staleness_bound=1",
                               "compute.time={dist=\"exponential\", mean=\"10ms\"}",
                               "network.latency=\"1ms\"", "run.stop={time=0.3}"});
    auto s = test::read_summary(dir);
    CHECK(s["stopped_by"] == "time");
    CHECK(counter(s, "applied") > 0);
    test::check_conservation(s["gradients"]);
    CHECK(counter(s, "in_flight") <= 4 * 3);
  }
}

TEST_CASE("async with staleness_lr inverse applies lr / max(1, tau) to each gradient") {
  // Equal constant compute, no delay, whole shards: the update from version v uses
  // worker (v mod 4)'s shard gradient at version v - min(v, 3).
  auto dir = run_text(base, {"training.mode=async", "training.batch_size=0",
                             "training.staleness_lr=\"inverse\""});
  auto scn = sim::parse_scenario(base, "t.toml");
  auto data = sim::prepare_data(scn.data, scn.seed, 4);
  auto model = sim::make_model(scn.model, data.train.features());
  std::vector<sim::vector> theta{sim::vector::Zero(4)};
  sim::vector g(4);
  for (std::size_t v = 0; v < 40; ++v) {
    auto tau = std::min<std::size_t>(v, 3);
    const auto& shard = data.shards[v % 4];
    model->gradient(theta[v - tau], sim::rows_of(data.train, shard.begin, shard.count), g);
    theta.push_back(theta[v] - 0.1 / std::max<double>(1, static_cast<double>(tau)) * g);
  }
  check_close(params_of(dir), {theta[40].data(), theta[40].data() + 4});
}

TEST_CASE("ssp never lets a worker start iteration c+1 before all finished c - s") {
  for (int bound : {0, 2}) {
    CAPTURE(bound);
    auto dir = run_text(base, {"training.mode=ssp", fmt_bound(bound),
                               "compute.time={dist=\"exponential\", mean=\"10ms\"}",
                               "compute.override=[{workers=[3], slowdown=3.0}]",
                               "trace.events=true", "run.stop={updates=200}"});
    std::map<std::string, long long> finished, started;
    long long checked = 0;
    for (const auto& e : test::read_events(dir)) {
      if (e.actor == "server-0" && (e.event == "apply" || e.event == "discard"))
        ++finished[e.peer];
      if (e.event == "compute_start") {
        auto c = started[e.actor]++; // iterations it finished before this one
        long long slowest = c;
        for (int w = 0; w < 4; ++w)
          slowest = std::min(slowest, finished["worker-" + std::to_string(w)]);
        CHECK(slowest >= c - bound);
        ++checked;
      }
    }
    CHECK(checked >= 200);
  }
}

TEST_CASE("ssp with a huge bound behaves exactly as async") {
  std::vector<std::string> set{"compute.time={dist=\"exponential\", mean=\"10ms\"}",
                               "run.stop={updates=300}"};
  auto async = set, ssp = set;
  async.push_back("training.mode=async");
  ssp.push_back("training.mode=ssp");
  ssp.push_back("training.staleness_bound=1000000000");
  CHECK(test::metrics_without_wall(run_text(base, async))
        == test::metrics_without_wall(run_text(base, ssp)));
}

TEST_CASE("ksync applies exactly K gradients per version and counts the rest") {
  auto dir = run_text(base, {"training.mode=ksync", "training.k=3",
                             "compute.time={dist=\"exponential\", mean=\"10ms\"}",
                             "network.latency={dist=\"uniform\", min=\"0ms\", max=\"4ms\"}",
                             "trace.events=true", "run.stop={updates=100}"});
  auto s = test::read_summary(dir);
  CHECK(counter(s, "applied") == 300);
  CHECK(counter(s, "abandoned") > 0);
  CHECK(counter(s, "discarded_stale") > 0);
  std::map<long long, int> per_version;
  for (const auto& e : test::read_events(dir))
    if (e.event == "apply") {
      ++per_version[e.version];
      CHECK(e.staleness == 0);
    }
  CHECK(per_version.size() == 100);
  for (const auto& [version, count] : per_version)
    CHECK(count == 3);
}

TEST_CASE("kasync applies K gradients per version, whatever their versions") {
  auto dir = run_text(base, {"training.mode=kasync", "training.k=2",
                             "compute.time={dist=\"exponential\", mean=\"10ms\"}",
                             "trace.events=true", "run.stop={updates=100}"});
  auto s = test::read_summary(dir);
  CHECK(counter(s, "applied") == 200);
  CHECK(s["staleness"]["max"].get<int>() > 0);
  std::map<long long, int> per_version;
  for (const auto& e : test::read_events(dir))
    if (e.event == "apply")
      ++per_version[e.version];
  for (const auto& [version, count] : per_version)
    CHECK(count == 2);
}

TEST_CASE("local_sgd with one local step equals sync on the same batches") {
  auto sync = params_of(run_text(base, {"training.mode=sync"}));
  auto local = params_of(run_text(base, {"training.mode=local_sgd", "training.local_steps=1"}));
  check_close(local, sync);
}

TEST_CASE("local_sgd pushes the model delta of H local steps") {
  auto s = test::read_summary(run_text(base, {"training.mode=local_sgd", "training.local_steps=5",
                                              "run.stop={updates=10}"}));
  // 10 versions of 4 workers x 5 local steps; each version takes 5 x 10 ms.
  CHECK(counter(s, "applied") == 200);
  CHECK(s["time_s"].get<double>() == 0.5);
}

TEST_CASE("allreduce keeps every replica identical and equal to sync") {
  for (const char* updates : {"run.stop={updates=1}", "run.stop={updates=17}"}) {
    CAPTURE(updates);
    auto ring = test::read_summary(run_text(base, {"training.mode=allreduce", updates}));
    auto sync = params_of(run_text(base, {"training.mode=sync", updates}));
    check_close(ring["params"].get<std::vector<double>>(), sync);
    for (const auto& w : ring["workers"])
      CHECK(w["params"] == ring["workers"][0]["params"]);
  }
}

TEST_CASE("allreduce's ring travels the links: latency and bandwidth set its round time") {
  // 5 workers, 4 parameters + the sample count = 5 values: one value per chunk, 72
  // bytes = 72 us at 1 MB/s, then 1 ms; 8 steps after a 10 ms computation.
  auto dir = run_text(base, {"training.mode=allreduce", "cluster.workers=5",
                             "network.latency=\"1ms\"", "network.bandwidth=\"1MB/s\"",
                             "run.stop={updates=3}"});
  auto rows = test::read_metrics(dir);
  REQUIRE(rows.size() == 4);
  for (std::size_t v = 0; v <= 3; ++v)
    CHECK(std::stod(rows[v]["time"]) == static_cast<double>(v * 18'576'000) / 1e9);
}

TEST_CASE("server_apply_time delays each version and the replies") {
  // Four gradients at 10 ms, the update takes 2 ms, parameters leave at 12 ms.
  auto dir = run_text(base, {"training.mode=sync", "cluster.server_apply_time=\"2ms\"",
                             "run.stop={updates=3}"});
  auto rows = test::read_metrics(dir);
  REQUIRE(rows.size() == 4);
  for (std::size_t v = 0; v <= 3; ++v)
    CHECK(std::stod(rows[v]["time"]) == static_cast<double>(v * 12'000'000) / 1e9);
}

TEST_CASE("a compute override slows one worker and sync waits for it") {
  auto s = test::read_summary(run_text(
    base, {"training.mode=sync", "compute.override=[{workers=[3], slowdown=4.0}]",
           "run.stop={updates=5}"}));
  CHECK(s["time_s"].get<double>() == 0.2);
}

TEST_CASE("a step learning-rate schedule and server momentum match a direct computation") {
  auto dir = run_text(base, {"training.mode=sync", "training.batch_size=0",
                             "training.momentum=0.5",
                             "training.lr_schedule={kind=\"step\", every=10, factor=0.5}"});
  auto scn = sim::parse_scenario(base, "t.toml");
  auto data = sim::prepare_data(scn.data, scn.seed, 4);
  auto model = sim::make_model(scn.model, data.train.features());
  sim::vector theta = sim::vector::Zero(4), velocity = theta, g(4);
  for (int v = 0; v < 40; ++v) {
    model->gradient(theta, sim::all_rows(data.train), g);
    velocity = 0.5 * velocity + g;
    theta -= 0.1 * std::pow(0.5, v / 10) * velocity;
  }
  check_close(params_of(dir), {theta.data(), theta.data() + 4});
}

}
