// The stop rule and the stop reasons: which condition stops a run, in which order, and
// the divergence rule; one printer and one parser for the reasons.
#include "sim/output/stop_rule.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

using namespace psim;
using sim::stop_reason;

namespace {

sim::stop_config limits(std::optional<std::uint64_t> updates, std::optional<double> loss,
                        std::optional<double> time = {}, std::optional<double> wall = {}) {
  sim::stop_config stop;
  stop.updates = updates;
  stop.loss = loss;
  stop.time = time;
  stop.wall = wall;
  return stop;
}

} // namespace

TEST_SUITE("sim.output.stop_rule") {

TEST_CASE("every stop reason prints and parses back, and nothing else parses") {
  for (auto reason : sim::all_stop_reasons)
    CHECK(sim::parse_stop_reason(sim::to_string(reason)) == reason);
  CHECK(sim::to_string(stop_reason::interrupted) == "interrupted");
  CHECK(!sim::parse_stop_reason(""));
  CHECK(!sim::parse_stop_reason("Updates"));
  CHECK(sim::is_failure(stop_reason::diverged));
  CHECK(sim::is_failure(stop_reason::stalled));
  CHECK(!sim::is_failure(stop_reason::interrupted));
}

TEST_CASE("a run diverges at a non-finite loss or past a thousand times the first") {
  CHECK(!sim::diverged(1000.0, 1.0));
  CHECK(sim::diverged(1000.5, 1.0));
  CHECK(sim::diverged(std::nan(""), 1.0));
  CHECK(sim::diverged(std::numeric_limits<double>::infinity(), 1.0));
  CHECK(!sim::diverged(5.0, 0.0)); // a run starting at loss 0 has no reference
}

TEST_CASE("rows stop the run by divergence first, then loss, then updates") {
  sim::stop_rule rule{limits(10, 0.1), 0};
  CHECK(!rule.after_row(0, 2.0)); // the first row sets the reference loss 2
  CHECK(!rule.after_row(9, 0.5));
  CHECK(rule.after_row(10, 0.5)->reason == stop_reason::updates);
  CHECK(rule.after_row(11, 0.1)->reason == stop_reason::loss);
  auto diverged = rule.after_row(12, 2001.0);
  REQUIRE(diverged);
  CHECK(diverged->reason == stop_reason::diverged);
  CHECK(diverged->detail.find("learning_rate") != std::string::npos);
}

TEST_CASE("allreduce stops by updates when every replica halted, not by versions") {
  sim::stop_rule rule{limits(10, {}), 3};
  CHECK(!rule.after_row(10, 1.0));
  CHECK(!rule.after_halt());
  CHECK(!rule.after_halt());
  CHECK(rule.after_halt()->reason == stop_reason::updates);
}

TEST_CASE("outside the actors an interrupt wins over time, and time over wall") {
  sim::stop_rule rule{limits({}, {}, 2.0, 3.0), 0};
  CHECK(!rule.outside(false, 2.5, std::nullopt));
  CHECK(!rule.outside(false, 1.5, 1.5));
  CHECK(rule.outside(false, 3.0, std::nullopt)->reason == stop_reason::wall);
  CHECK(rule.outside(false, 3.0, 3.0)->reason == stop_reason::time);
  CHECK(rule.outside(true, 3.0, 3.0)->reason == stop_reason::interrupted);
  CHECK(rule.time_limit() == 2.0);
}

}
