// The kasync rule (sim/training/consistency/kasync.cpp): any K gradients, whatever
// their versions, averaged and applied; only those K workers are answered.
#include "sim/training/consistency/rule.hpp"

#include "tests/sim/training/consistency/rule_support.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;
using psim::test::push;
using psim::test::training_of;

TEST_SUITE("sim.consistency.kasync") {

TEST_CASE("any K gradients are applied and only their K workers are answered") {
  auto rule = make_server_rule(training_of(mode_kind::kasync, 2), 4);
  CHECK(rule->on_gradient(push(2, 5, 10), 5) == decisions{take_into_round{10}});
  CHECK(rule->on_gradient(push(0, 3, 30), 5)
        == decisions{take_into_round{30}, apply_round{0.1, {{2, 0, 1}, {0, 2, 1}}},
                     reply_to{2}, reply_to{0}});
}

TEST_CASE("inverse staleness weighting scales each gradient's weight by its own factor") {
  auto training = training_of(mode_kind::kasync, 2);
  training.staleness_lr.kind = weighting_kind::inverse;
  auto rule = make_server_rule(training, 3);
  CHECK(rule->on_gradient(push(1, 6, 12), 10) == decisions{take_into_round{12.0, 1.0 / 4}});
}

TEST_CASE("a repeat from a worker of the open round waits for the round; others are answered") {
  auto rule = make_server_rule(training_of(mode_kind::kasync, 2), 3);
  rule->on_gradient(push(1, 0), 0);
  CHECK(rule->on_repeat(push(1, 0), 0).empty());
  CHECK(rule->on_repeat(push(2, 0), 0) == decisions{reply_to{2}});
}

TEST_CASE("a lost worker completes a round that the live workers make") {
  auto rule = make_server_rule(training_of(mode_kind::kasync, 3), 3);
  rule->on_gradient(push(0, 0), 0);
  rule->on_gradient(push(1, 0), 0);
  CHECK(rule->on_worker_lost(2, 0)
        == decisions{apply_round{0.1, {{0, 0, 1}, {1, 0, 1}}}, reply_to{0}, reply_to{1}});
}

TEST_CASE("a server crash forgets the round") {
  auto rule = make_server_rule(training_of(mode_kind::kasync, 2), 3);
  rule->on_gradient(push(0, 0), 0);
  rule->on_server_crash();
  CHECK(rule->round_size() == 0);
  CHECK(rule->on_repeat(push(0, 0), 0) == decisions{reply_to{0}});
}

}
