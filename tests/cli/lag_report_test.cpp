// The report's real-clock lines: the lag; a warning that the run fell behind the model
// when p99 of the lag is above 1 % of the run (and above the smallest modelled duration);
// else a note when p99 is above the smallest modelled duration; else nothing more.
#include "tools/cli/run_report.hpp"

#include "sim/output/lag_histogram.hpp"

#include <doctest/doctest.h>

using psim::cli::lag_lines;

namespace {

// A real-clock run of `seconds` whose 100 timed events were each `late_ns` late, judged
// against a smallest modelled duration of 1 ms.
psim::sim::run_summary real_run(std::uint64_t late_ns, double seconds = 3.0) {
  psim::sim::lag_histogram h;
  h.enable();
  for (int i = 0; i < 100; ++i)
    h.add(late_ns);
  psim::sim::run_summary s;
  s.time_s = seconds;
  s.lag = h.values();
  s.lag_reference_s = 1e-3;
  return s;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_SUITE("cli.lag_report") {

TEST_CASE("a virtual-clock run has no lag lines") {
  CHECK(lag_lines(psim::sim::run_summary{}).empty());
}

TEST_CASE("a run whose events came later than its smallest duration by less has the lag line "
          "alone") {
  // The shipped scenarios under the real clock on the 2-core development machine: p99
  // 0.2-0.3 ms against 1 ms of latency.
  auto lines = lag_lines(real_run(300'000));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].first == "lag");
  CHECK(has(lines[0].second, "max 0.0003 s over 100 timed events")); // quantiles: within 12.5 %
}

TEST_CASE("events later than the smallest duration get a note, not a warning") {
  // The quickstart under the real clock on 2 busy cores: p99 about 1.2 ms against 1 ms of
  // latency, in 3 s.
  auto lines = lag_lines(real_run(1'200'000));
  REQUIRE(lines.size() == 2);
  CHECK(lines[1].first == "note");
  CHECK(has(lines[1].second, "later than the smallest modelled duration (0.001 s; p99 "));
}

TEST_CASE("a p99 lag above 1 % of the run is falling behind") {
  // psim_bench --clock at 768 workers on 2 cores: p99 1.2 s in 3 s, 80 % of the versions.
  auto lines = lag_lines(real_run(1'200'000'000));
  REQUIRE(lines.size() == 2);
  CHECK(lines[1].first == "warning");
  CHECK(has(lines[1].second, "the run fell behind the model: p99 lag 1.2 s is 40 % of the "
                             "run's 3 s"));
  // 1 % of the run is the line; a run as short as 0.1 s is judged by its duration too.
  CHECK(lag_lines(real_run(29'000'000)).size() == 2);
  CHECK(lag_lines(real_run(29'000'000))[1].first == "note");
  CHECK(lag_lines(real_run(31'000'000))[1].first == "warning");
  CHECK(lag_lines(real_run(1'200'000, 0.1))[1].first == "warning");
  CHECK(lag_lines(real_run(900'000, 0.05)).size() == 1); // under the smallest duration
}

} // TEST_SUITE
