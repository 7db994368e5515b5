// The default stall watchdog (sim/scenario/stall_watchdog): 100 x the slowest step.
#include "sim/scenario/stall_watchdog.hpp"
#include "sim/scenario/scenario.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace psim;

TEST_SUITE("sim.stall_watchdog") {

TEST_CASE("the slowest step is the largest of compute, latency, timeout and faults") {
  auto base = std::string{"[compute]\ntime = \"10ms\"\n[network]\nlatency = \"1ms\"\n"};
  CHECK(*sim::slowest_step(sim::parse_scenario(base, "t.toml")) == doctest::Approx(0.01));
  auto timeout = sim::parse_scenario(base + "timeout = \"50ms\"\n", "t.toml");
  CHECK(*sim::effective_stall_timeout(timeout) == doctest::Approx(5.0));
  auto crash = sim::parse_scenario(base + "[[faults]]\nat = \"1s\"\nkind = \"server_crash\"\n"
                                          "restart_after = \"2s\"\n", "t.toml");
  CHECK(*sim::effective_stall_timeout(crash) == doctest::Approx(200.0));
}

TEST_CASE("a heavy tail counts by the value it exceeds once in 10^9 draws") {
  auto s = sim::parse_scenario(
    "[compute]\ntime = { dist = \"pareto\", scale = \"5ms\", shape = 1.5 }\n", "t.toml");
  CHECK(*sim::slowest_step(s) == doctest::Approx(0.005 * std::pow(1e9, 1 / 1.5)));
}

TEST_CASE("run.stall_timeout wins; the real clock's default waits at least 10 s") {
  CHECK(*sim::effective_stall_timeout(sim::parse_scenario("[run]\nstall_timeout = \"3s\"\n",
                                                          "t.toml")) == 3.0);
  auto real = [](const std::string& rest) {
    return sim::effective_stall_timeout(
      sim::parse_scenario("[run]\nclock = \"real\"\nstop = { updates = 10 }\n" + rest, "t.toml"));
  };
  CHECK(*real("") == sim::real_clock_least_s); // 100 x the default step is less
  CHECK(*real("[compute]\ntime = \"0.5s\"\n") == doctest::Approx(50.0));
  CHECK(*real("[compute]\ntime = 0\n[network]\nlatency = 0\n") == sim::real_clock_least_s);
}

}
