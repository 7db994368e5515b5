// The server's numerics in whole runs (actors/server): the optimizers and staleness
// weightings in every asynchronous mode, checkpoints of the optimizer's state, and
// injected staleness, against independent computations and the event trace.
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/random/random.hpp"
#include "sim/training/injected_staleness.hpp"
#include "tests/support/params_close.hpp"
#include "tests/support/scenario_run.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace psim;
using test::check_close;
using test::params_of;
using test::run_text;

namespace {

// Four workers, equal constant compute, no network delay (not a golden fixture).
constexpr const char* fixture = R"(
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
batch_size = 5
[cluster]
workers = 4
[compute]
time = "10ms"
[network]
latency = "0s"
bandwidth = 1e18
)";

const std::vector<std::string> optimizers{
  "\"sgd\"", "\"momentum\"", "\"nesterov\"", "\"adam\"", "\"rmsprop\"", "\"adagrad\""};

const std::vector<std::string> weightings{
  "\"none\"", "\"inverse\"", "{kind=\"polynomial\", a=0.5}", "{kind=\"threshold\", max=2}",
  "{kind=\"exponential\", base=0.9}"};

} // namespace

TEST_SUITE("actors.server_numerics") {

TEST_CASE("async equals kasync with K = 1 bitwise under every optimizer and weighting") {
  for (const auto& opt : optimizers)
    for (const auto& weighting : weightings) {
      CAPTURE(opt);
      CAPTURE(weighting);
      std::vector<std::string> common{
        "training.optimizer=" + opt, "training.staleness_lr=" + weighting,
        "compute.time={dist=\"exponential\", mean=\"10ms\"}"};
      auto async = common, kasync = common;
      async.push_back("training.mode=async");
      kasync.push_back("training.mode=kasync");
      kasync.push_back("training.k=1");
      auto a = test::read_summary(run_text(fixture, async));
      auto k = test::read_summary(run_text(fixture, kasync));
      CHECK(a["params"] == k["params"]);
      CHECK(a["staleness"] == k["staleness"]);
      CHECK(a["staleness"]["max"].get<int>() >= 3);
    }
}

TEST_CASE("async with adam and a polynomial weighting matches a direct computation") {
  // Equal constant compute, whole shards: the update from version v uses worker
  // (v mod 4)'s shard gradient at version v - min(v, 3), scaled by 1 / (1 + tau)^0.5.
  std::vector<std::string> set{"training.mode=async", "training.batch_size=0",
                               "training.optimizer={kind=\"adam\", beta1=0.8}",
                               "training.staleness_lr={kind=\"polynomial\", a=0.5}"};
  auto dir = run_text(fixture, set);
  auto scn = sim::parse_scenario(fixture, "t.toml");
  auto data = sim::prepare_data(scn.data, scn.seed, 4);
  auto model = sim::make_model(scn.model, data.train.features());
  std::vector<sim::vector> theta{sim::vector::Zero(4)};
  sim::vector g(4), m = sim::vector::Zero(4), s = m;
  for (std::size_t v = 0; v < 40; ++v) {
    auto tau = std::min<std::size_t>(v, 3);
    const auto& shard = data.shards[v % 4];
    model->gradient(theta[v - tau], sim::rows_of(data.train, shard.begin, shard.count), g);
    g /= std::sqrt(1.0 + static_cast<double>(tau));
    m = 0.8 * m + 0.2 * g;
    s = 0.999 * s + 0.001 * g.cwiseProduct(g);
    double t = static_cast<double>(v + 1);
    sim::vector step = (m / (1 - std::pow(0.8, t))).array()
                       / ((s / (1 - std::pow(0.999, t))).array().sqrt() + 1e-8);
    theta.push_back(theta[v] - 0.1 * step);
  }
  check_close(params_of(dir), {theta[40].data(), theta[40].data() + 4});
}

TEST_CASE("a server crash restores the optimizer state of the checkpoint") {
  // Whole-shard sync is deterministic gradient descent: rolled back to version 20 with
  // the velocity of version 20, the run ends where the run without a crash ends.
  for (const auto& opt : {"\"momentum\"", "\"adam\""}) {
    CAPTURE(opt);
    std::vector<std::string> set{"training.mode=sync", "training.batch_size=0",
                                 std::string{"training.optimizer="} + opt,
                                 "checkpoint.every=10", "run.stop={updates=40}"};
    auto plain = params_of(run_text(fixture, set));
    auto crashed_dir = run_text(std::string{fixture} + "[[faults]]\nat = \"255ms\"\n"
                                                       "kind = \"server_crash\"\n", set);
    auto s = test::read_summary(crashed_dir);
    CHECK(s["faults"][0]["rolled_back"] == 5);
    check_close(s["params"].get<std::vector<double>>(), plain);
  }
}

TEST_CASE("with one async worker every applied gradient is exactly the injected tau stale") {
  auto dir = run_text(fixture, {"training.mode=async", "cluster.workers=1",
                                "training.inject_staleness={dist=\"uniform\", max=6}",
                                "trace.events=true", "run.stop={updates=200}"});
  // The k-th answer (after update k) draws tau_k and serves max(0, k - tau_k); the
  // first gradient is computed on version 0.
  sim::staleness_injection inj;
  inj.dist = sim::injection_kind::uniform;
  inj.max = 6;
  sim::random_stream rng(11, "staleness/worker-0");
  std::uint64_t k = 0, nonzero = 0;
  for (const auto& e : test::read_events(dir)) {
    if (e.actor != "server-0" || e.event != "apply")
      continue;
    std::uint64_t expected = k == 0 ? 0 : std::min(inj.draw(rng), k);
    CHECK(static_cast<std::uint64_t>(e.staleness) == expected);
    nonzero += expected > 0;
    ++k;
  }
  CHECK(k == 200);
  CHECK(nonzero > 150);
}

TEST_CASE("injected staleness adds tau to what timing gives in kasync and ssp") {
  for (auto mode : {"kasync", "ssp"}) {
    CAPTURE(mode);
    auto s = test::read_summary(
      run_text(fixture, {std::string{"training.mode="} + mode, "training.k=2",
                         "training.learning_rate=0.02",
                         "training.inject_staleness={dist=\"constant\", value=5}",
                         "run.stop={updates=100}"}));
    CHECK(s["stopped_by"] == "updates");
    CHECK(s["staleness"]["mean"].get<double>() > 5);
  }
}

}
