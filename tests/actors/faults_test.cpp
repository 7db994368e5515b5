// Faults under the virtual clock (DESIGN §4, issue "faults"): each kind at exact
// virtual times, gradient conservation under hostile networks, nothing applied twice,
// recovery from crashes, and the stall watchdog.
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

// Sync rounds of exactly 10 ms: version v is applied at 10v ms.
const std::string base = R"(
seed = 19
[run]
stop = { updates = 20 }
eval_every = 1
[data]
samples = 200
features = 3
noise = 0.05
[training]
mode = "sync"
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

std::string with_fault(const std::string& fault) {
  return base + "[[faults]]\n" + fault + "\n";
}

std::uint64_t counter(const nlohmann::ordered_json& s, const char* name) {
  return s["gradients"][name].get<std::uint64_t>();
}

void check_conservation(const nlohmann::ordered_json& s) {
  test::check_conservation(s["gradients"]);
}

} // namespace

TEST_SUITE("actors.faults") {

TEST_CASE("a slowdown stretches the computations started in its window") {
  // Rounds starting at 110, 140, 170 and 200 ms take 30 ms; then 10 ms again.
  auto s = test::read_summary(run_text(with_fault(
    "at = \"105ms\"\nkind = \"slowdown\"\ntarget = \"worker-1\"\nfactor = 3.0\nduration = \"100ms\"")));
  CHECK(s["time_s"].get<double>() == 0.28);
  CHECK(s["faults"][0]["kind"] == "slowdown");
  CHECK(s["faults"][0]["until"].get<double>() == doctest::Approx(0.205));
}

TEST_CASE("a dropped push is resent after the timeout once the drop window closes") {
  // worker-1's push at 110 ms and its resends at 135, 160, 185 ms are lost; the one
  // at 210 ms gets through: version 11 at 210 ms, version 20 at 300 ms. The three
  // others, whose round cannot close, resend as often and are ignored.
  auto s = test::read_summary(run_text(
    with_fault("at = \"100ms\"\nkind = \"drop\"\nfrom = \"worker-1\"\nto = \"server-0\"\n"
               "probability = 1.0\nduration = \"100ms\""),
    {"network.timeout=\"25ms\""}));
  CHECK(s["time_s"].get<double>() == 0.3);
  CHECK(s["messages"]["resent"] == 16);
  CHECK(s["messages"]["ignored"] == 12);
  CHECK(s["messages"]["dropped"] == 4);
  check_conservation(s);
}

TEST_CASE("a latency window delays the messages sent in it") {
  // Broadcasts at 100 and 160 ms take 50 ms: versions 11 at 160, 12 at 220 ms.
  auto s = test::read_summary(run_text(
    with_fault("at = \"100ms\"\nkind = \"latency\"\nfrom = \"server-0\"\nto = \"worker-*\"\n"
               "latency = \"50ms\"\nduration = \"100ms\"")));
  CHECK(s["time_s"].get<double>() == 0.3);
}

TEST_CASE("a crashed worker is left out of sync rounds, then rejoins after its restart") {
  auto scenario = with_fault(
    "at = \"105ms\"\nkind = \"crash\"\ntarget = \"worker-3\"\nrestart_after = \"100ms\"");
  auto twenty = test::read_summary(run_text(scenario));
  CHECK(twenty["time_s"].get<double>() == 0.2);
  CHECK(twenty["workers"][3]["crashes"] == 1);
  // The restarted worker pulls version 20 at 205 ms; round 21 waits for it.
  auto s = test::read_summary(run_text(scenario, {"run.stop={updates=21}"}));
  CHECK(s["time_s"].get<double>() == 0.215);
  CHECK(s["faults"][0]["until"].get<double>() == doctest::Approx(0.205));
  check_conservation(s);
  CHECK(counter(s, "abandoned") == 1);
}

TEST_CASE("sync with a worker crashed for good finishes with the live workers") {
  auto s = test::read_summary(run_text(
    with_fault("at = \"55ms\"\nkind = \"crash\"\ntarget = \"worker-2\""),
    {"run.stop={updates=200}"}));
  CHECK(s["stopped_by"] == "updates");
  CHECK(s["workers"][2]["gradients"] == 5);
  check_conservation(s);
}

TEST_CASE("waiting for a worker that never returns ends as stalled, naming it") {
  auto dir = run_text(with_fault("at = \"55ms\"\nkind = \"crash\"\ntarget = \"worker-2\""),
                      {"training.on_failure=\"wait\"", "run.stall_timeout=\"1s\"",
                       "run.stop={updates=200}"});
  auto s = test::read_summary(dir);
  CHECK(s["stopped_by"] == "stalled");
  CHECK(s["version"] == 5);
  CHECK(s["time_s"].get<double>() == doctest::Approx(1.05));
}

TEST_CASE("a server crash rolls back to the last checkpoint and training goes on") {
  // Checkpoints at versions 10 and 20; the crash at 255 ms finds version 25.
  auto dir = run_text(with_fault("at = \"255ms\"\nkind = \"server_crash\""),
                      {"checkpoint.every=10", "run.stop={updates=40}"});
  auto s = test::read_summary(dir);
  CHECK(s["stopped_by"] == "updates");
  CHECK(s["faults"][0]["rolled_back"] == 5);
  auto rows = test::read_metrics(dir);
  bool rolled_back_row = false;
  for (std::size_t i = 1; i < rows.size(); ++i)
    if (rows[i]["version"] == "20" && rows[i - 1]["version"] == "25")
      rolled_back_row = true;
  CHECK(rolled_back_row);
  // The computations under way (on version 25) end at 260 ms and are discarded as
  // computed before the crash; version 21 comes at 270 ms, version 40 at 460 ms.
  CHECK(s["time_s"].get<double>() == doctest::Approx(0.46));
  CHECK(counter(s, "discarded_stale") == 4);
  check_conservation(s);
}

TEST_CASE("a partition shows as a staleness burst after it heals") {
  auto dir = run_text(
    with_fault("at = \"200ms\"\nkind = \"partition\"\ngroup = [\"worker-0\"]\nduration = \"500ms\""),
    {"training.mode=async", "network.timeout=\"50ms\"", "run.stop={time=1.5}",
     "run.eval_every=10"});
  auto s = test::read_summary(dir);
  // While cut off, worker-0 misses about 3 workers x 50 rounds of updates.
  CHECK(s["staleness"]["max"].get<int>() > 100);
  double before = 0, after = 0;
  for (auto& row : test::read_metrics(dir)) {
    if (row["staleness_mean"].empty())
      continue;
    auto t = std::stod(row["time"]);
    auto mean = std::stod(row["staleness_mean"]);
    if (t < 0.2)
      before = std::max(before, mean);
    if (t >= 0.7 && t < 0.8)
      after = std::max(after, mean);
  }
  CHECK(after > 5 * before);
  check_conservation(s);
}

TEST_CASE("duplicated messages are never applied twice: sync still equals gradient descent") {
  auto dir = run_text(base, {"network.duplicate=0.5", "training.batch_size=0",
                             "run.stop={updates=30}"});
  auto s = test::read_summary(dir);
  CHECK(test::close_to(s["params"].get<std::vector<double>>(),
                       test::full_batch_descent(base, {}, 30, 0.1)));
  CHECK(s["messages"]["duplicated"].get<int>() > 30);
  CHECK(s["messages"]["ignored"].get<int>() > 10);
  CHECK(counter(s, "applied") == 120);
}

TEST_CASE("the gradient counters add up in every mode under drops, duplicates and crashes") {
  const std::string hostile = base + R"(
[[faults]]
at = "300ms"
kind = "crash"
target = "worker-2"
restart_after = "200ms"
[[faults]]
at = "600ms"
kind = "server_crash"
)";
  for (auto mode : {"sync", "async", "ssp", "ksync", "kasync", "local_sgd"}) {
    CAPTURE(mode);
    auto s = test::read_summary(run_text(
      hostile, {std::string{"training.mode="} + mode, "training.k=3", "network.drop=0.1",
                "network.duplicate=0.2", "network.timeout=\"30ms\"", "checkpoint.every=5",
                "compute.time={dist=\"exponential\", mean=\"10ms\"}", "run.stop={time=1.0}"}));
    CHECK(s["stopped_by"] == "time");
    CHECK(counter(s, "applied") > 0);
    check_conservation(s);
  }
}

}

TEST_SUITE("actors.faults") {

TEST_CASE("under the real clock a crash and restart mean the same and the run finishes") {
  auto s = test::read_summary(run_text(
    with_fault("at = \"50ms\"\nkind = \"crash\"\ntarget = \"worker-1\"\nrestart_after = \"50ms\""),
    {"run.clock=\"real\"", "compute.time=\"2ms\"", "network.latency=\"200us\"",
     "run.stop={updates=150}", "run.stall_timeout=\"5s\""}));
  CHECK(s["stopped_by"] == "updates");
  CHECK(s["workers"][1]["crashes"] == 1);
  REQUIRE(s["faults"].size() == 1);
  CHECK(s["faults"][0]["until"].get<double>() == doctest::Approx(0.1));
  check_conservation(s);
}

}
