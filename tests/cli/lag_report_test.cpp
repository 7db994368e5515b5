// The report's real-clock lines: the lag, a warning only when the run fell behind the
// model (its last version applied more than 1 % of the run after the model's time for
// it), else a note when p99 of the lag is above the smallest modelled duration.
#include "tools/cli/run_report.hpp"

#include "sim/output/lag_histogram.hpp"

#include <doctest/doctest.h>

using psim::cli::lag_lines;

namespace {

// A 3-second real-clock run whose 100 timed events were each `late_ns` late, judged
// against a smallest modelled duration of 1 ms, its last version `behind_s` behind.
psim::sim::run_summary real_run(std::uint64_t late_ns, double behind_s) {
  psim::sim::lag_histogram h;
  h.enable();
  for (int i = 0; i < 100; ++i)
    h.add(late_ns);
  psim::sim::run_summary s;
  s.time_s = 3.0;
  s.lag = h.values();
  s.lag_reference_s = 1e-3;
  s.lag_behind_s = behind_s;
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

TEST_CASE("a run that kept time, its events late by under the smallest duration, has the "
          "lag line alone") {
  // The shipped scenarios under the real clock on the 2-core machine: p99 0.2-0.3 ms
  // against 1 ms of latency, the last version some 0.05-0.15 ms behind.
  auto lines = lag_lines(real_run(300'000, 40e-6));
  REQUIRE(lines.size() == 1);
  CHECK(lines[0].first == "lag");
  CHECK(has(lines[0].second, "over 100 timed events; last version 4e-05 s behind the model"));
}

TEST_CASE("a run that kept the model's pace with events later than a modelled duration gets "
          "a note, not a warning") {
  // The quickstart under the real clock on 2 busy cores: p99 about 1.2 ms against 1 ms of
  // latency, its last version well under a millisecond behind.
  auto lines = lag_lines(real_run(1'200'000, 0.7e-3));
  REQUIRE(lines.size() == 2);
  CHECK(lines[1].first == "note");
  CHECK(has(lines[1].second, "kept the model's pace"));
  CHECK(has(lines[1].second, "later than the smallest modelled duration (0.001 s; p99 "));
  CHECK(lag_lines(real_run(900'000, 0.7e-3)).size() == 1); // p99 0.9 ms: no note
}

TEST_CASE("a run whose last version came more than 1 % of the run late fell behind") {
  auto lines = lag_lines(real_run(1'200'000, 0.8));
  REQUIRE(lines.size() == 2);
  CHECK(lines[1].first == "warning");
  CHECK(has(lines[1].second, "fell behind the model: its last version was applied 0.8 s after "
                             "the model's time for it (26.7 % of the run's 3 s)"));
  // 1 % of the run is the line: 29 ms behind in 3 s is not behind.
  CHECK(lag_lines(real_run(50'000, 0.029)).size() == 1);
  CHECK(lag_lines(real_run(50'000, 0.031)).size() == 2);
}

} // TEST_SUITE
