// Runs that cannot spin or end silently (issue 11): a worker whose first parameters
// are lost asks again, the default stall watchdog ends a run that applies nothing,
// and the summary names the workers that never computed.
#include "tests/support/scenario_run.hpp"

#include <doctest/doctest.h>

using namespace psim;

namespace {

// scenarios/flaky-network.toml at seed 3: before the fix, the first parameters of
// worker-0 and worker-2 were dropped and both never computed.
const std::string lossy = R"(
seed = 3
[run]
stop = { updates = 300 }
eval_every = 20
[data]
samples = 4000
features = 8
[training]
mode = "async"
learning_rate = 0.02
batch_size = 16
[cluster]
workers = 8
[compute]
time = { dist = "exponential", mean = "10ms" }
[network]
latency = { dist = "uniform", min = "1ms", max = "3ms" }
drop = 0.1
duplicate = 0.1
timeout = "50ms"
)";

// worker-0 receives nothing from server-0 (at this seed): sync waits for it forever.
const std::string cut_off = R"(
[run]
stop = { updates = 20 }
[data]
samples = 200
features = 3
[training]
mode = "sync"
[cluster]
workers = 4
[compute]
time = "10ms"
[network]
latency = "1ms"
timeout = "50ms"
[[network.link]]
from = "server-0"
to = "worker-0"
drop = 0.999999
)";

} // namespace

TEST_SUITE("actors.robustness") {

TEST_CASE("a worker whose first parameters were lost asks again and computes") {
  auto s = test::read_summary(test::run_text(lossy));
  CHECK(s["stopped_by"] == "updates");
  for (const auto& w : s["workers"]) {
    CHECK(w["gradients"].get<std::uint64_t>() > 0);
    CHECK_FALSE(w.contains("never_computed"));
  }
}

TEST_CASE("a sync run with lost first parameters finishes") {
  // Before the fix the resend timers kept the clock busy until the time limit.
  auto s = test::read_summary(
    test::run_text(lossy, {"training.mode=\"sync\"", "run.stop={updates=50, time=60}"}));
  CHECK(s["stopped_by"] == "updates");
  CHECK(s["version"] == 50);
}

TEST_CASE("the default watchdog ends a run that applies no version, naming who waits") {
  // 100 x the slowest step (network.timeout, 50 ms) = 5 s.
  auto s = test::read_summary(test::run_text(cut_off));
  CHECK(s["stopped_by"] == "stalled");
  CHECK(s["version"] == 0);
  CHECK(s["time_s"].get<double>() == doctest::Approx(5.0).epsilon(1e-12));
  CHECK(s["workers"][0]["never_computed"] == true);
  CHECK_FALSE(s["workers"][1].contains("never_computed"));
}

TEST_CASE("under the real clock the default watchdog ends a stuck run after 10 s") {
  // The real clock cannot see that nothing is left to happen: without the watchdog this
  // run waited forever (the 30 s time stop makes the test fail instead of hang).
  // 100 x 50 ms is under the real clock's floor of 10 s.
  auto s = test::read_summary(
    test::run_text(cut_off, {"run.clock=\"real\"", "run.stop={updates=20, time=30}"}));
  CHECK(s["stopped_by"] == "stalled");
  CHECK(s["version"] == 0);
  CHECK(s["time_s"].get<double>() >= 10.0);
  CHECK(s["time_s"].get<double>() < 20.0);
}

TEST_CASE("run.stall_timeout overrides the default watchdog") {
  auto s = test::read_summary(test::run_text(cut_off, {"run.stall_timeout=\"2s\""}));
  CHECK(s["stopped_by"] == "stalled");
  CHECK(s["time_s"].get<double>() == doctest::Approx(2.0).epsilon(1e-12));
}

}
