// An untraced fault-free worker of async, ssp or kasync, outside a deployment, sends its
// push as its computation starts, to reach the links when it ends, instead of waking
// itself at the end (4 messages per async update, not 5). The outputs must be those of the compute timer,
// which a traced run still uses: the same metrics and summary, the computations under
// way at the stop included.
#include "actors/worker/worker.hpp"
#include "sim/training/worker/worker_rule.hpp"
#include "tests/support/big_model.hpp"
#include "tests/support/scenario_run.hpp"

#include <doctest/doctest.h>


using namespace psim;
using test::metrics_without_wall;
using test::run_text;

namespace {

const std::string base = R"(
seed = 5
[run]
stop = { updates = 300 }
eval_every = 50
[data]
samples = 400
features = 4
noise = 0.1
[training]
mode = "async"
learning_rate = 0.05
batch_size = 4
[cluster]
workers = 6
[compute]
time = { dist = "exponential", mean = "2ms" }
[network]
latency = "300us"
)";

// summary.json without its wall-clock keys.
nlohmann::ordered_json summary_without_wall(const std::string& dir) {
  auto s = test::read_summary(dir);
  s.erase("wall_s");
  return s;
}

// The timed events (summary.json's lag.events) of a real-clock run of `base` with
// `overrides`, which must reach its 300 updates.
int real_clock_timed_events(std::vector<std::string> overrides) {
  overrides.push_back("run.clock=\"real\"");
  auto s = test::read_summary(run_text(base, overrides));
  REQUIRE(s["version"] == 300);
  return s["lag"]["events"].get<int>();
}

bool folds(const std::vector<std::string>& overrides) {
  auto scn = sim::parse_scenario(base, "test.toml", overrides);
  return actors::folds_compute_end(scn, *sim::make_worker_rule(scn.training));
}

} // namespace

TEST_SUITE("actors.compute_end_fold") {

TEST_CASE("only fault-free untraced runs of modes that answer pushers alone fold") {
  CHECK(folds({}));
  CHECK(folds({"training.mode=ssp"}));
  CHECK(folds({"training.mode=kasync", "training.k=2"}));
  CHECK(folds({"cluster.servers=2"}));
  CHECK_FALSE(folds({"trace.events=true"}));
  CHECK_FALSE(folds({"network.timeout=0.05"}));
  CHECK(folds({"run.clock=\"real\"", "run.stop={time=0.1}"}));
  CHECK_FALSE(folds({"run.clock=\"real\"", "run.stop={time=0.1}",
                     "deployment.nodes=[\"127.0.0.1:7001\"]"}));
  for (auto mode : {"sync", "ksync", "local_sgd", "allreduce"}) {
    CAPTURE(mode);
    CHECK_FALSE(folds({std::string{"training.mode="} + mode}));
  }
  auto with_fault = sim::parse_scenario(base + R"(
[[faults]]
at = "50ms"
kind = "crash"
target = "worker-1"
)", "test.toml");
  CHECK_FALSE(actors::folds_compute_end(with_fault,
                                        *sim::make_worker_rule(with_fault.training)));
}

TEST_CASE("the folded run's outputs are the compute timer's, to the bit") {
  // Exponential compute times, and constant ones, whose ties at one instant must keep
  // their order; stops by updates and by time, most with computations under way.
  struct variant {
    std::vector<std::string> overrides;
    bool under_way; // computations under way at the stop
  };
  for (const auto& [overrides, under_way] : std::vector<variant>{
         {{}, true},
         {{"compute.time=\"2ms\"", "network.latency=\"500us\""}, false},
         {{"run.stop={time=0.05}"}, true},
         {{"compute.time=\"2ms\"", "run.stop={time=0.041}"}, true},
         // Six computations end at 4.6 ms, the stop's instant, together.
         {{"compute.time=\"2ms\"", "run.stop={time=0.0046}"}, true},
         {{"training.mode=ssp", "training.staleness_bound=1"}, true},
         {{"training.mode=kasync", "training.k=3"}, true},
         {{"cluster.servers=2"}, true}}) {
    CAPTURE(overrides);
    auto traced = overrides;
    traced.push_back("trace.events=true"); // the compute timer: a trace records its end
    auto timer = run_text(base, traced);
    auto folded = run_text(base, overrides);
    CHECK(metrics_without_wall(folded) == metrics_without_wall(timer));
    auto s = summary_without_wall(folded);
    CHECK(s.dump(1) == summary_without_wall(timer).dump(1));
    // Work under way at the stop is reported as computing, as the timer has it.
    CHECK((s["gradients"]["in_flight"].get<std::uint64_t>() > 0) == under_way);
  }
}

TEST_CASE("under the real clock a folded push reaches its link as a timed event") {
  // A link follows the send time a message carries (here the computation's end) only
  // when it sees the sender in its own process; a folded push sent anonymously would be
  // placed when it arrived, late by the timer's wake-up, and the run would fall behind
  // the model (95 % of its versions at 8 workers). Counted, not timed: every applied
  // update is a timed event at its uplink and at the server, and every answered one at
  // its downlink and its worker (three in all, were the push unstamped).
  auto workers = 6;
  CHECK(real_clock_timed_events({}) >= 4 * 300 - 2 * workers);
}

TEST_CASE("under the real clock the compute timer's push reaches its link as a timed "
          "event too") {
  // Unfolded (a traced run), the worker pushes from its compute timer's handler with
  // itself as sender (CAF 0.17.6's member anon_send signs it), so the uplink follows the
  // computation's end the push carries: five timed events per applied update, the timer
  // at its worker included (four, were the push unsigned).
  auto workers = 6;
  CHECK(real_clock_timed_events({"trace.events=true"}) >= 5 * 300 - 3 * workers);
}

TEST_CASE("a big model's sharded workers, which write their gradients at the end, keep the "
          "timer and its outputs") {
  // Their pushes may not leave early (the gradients under way would be held); their
  // computations under way at the stop are reported as such, not as pushes on the way.
  auto text = test::big_model_scenario + "[run]\nstop = { updates = 5 }\n";
  const std::string exponential = R"(compute.time={ dist = "exponential", mean = "50ms" })";
  auto timer = run_text(text, {"cluster.servers=2", exponential, "trace.events=true"});
  auto untraced = run_text(text, {"cluster.servers=2", exponential});
  CHECK(metrics_without_wall(untraced) == metrics_without_wall(timer));
  auto s = summary_without_wall(untraced);
  CHECK(s.dump(1) == summary_without_wall(timer).dump(1));
  CHECK(s["gradients"]["in_flight"].get<std::uint64_t>() > 0);
}

} // TEST_SUITE
