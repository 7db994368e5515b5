// The ksync rule (sim/training/consistency/ksync.cpp): the first K gradients on the
// current version make the round; older ones are discarded.
#include "sim/training/consistency/rule.hpp"

#include "tests/sim/training/consistency/rule_support.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;
using psim::test::push;
using psim::test::training_of;

TEST_SUITE("sim.consistency.ksync") {

TEST_CASE("the round is applied at the K-th gradient and broadcast") {
  auto rule = make_server_rule(training_of(mode_kind::ksync, 2), 4);
  CHECK(rule->on_gradient(push(3, 6, 8), 6) == decisions{take_into_round{8}});
  CHECK(rule->on_gradient(push(1, 6, 16), 6)
        == decisions{take_into_round{16}, apply_round{0.1, {{3, 0, 1}, {1, 0, 1}}},
                     broadcast_all{}});
}

TEST_CASE("a gradient computed on an older version is discarded") {
  auto rule = make_server_rule(training_of(mode_kind::ksync, 2), 4);
  rule->on_gradient(push(0, 7), 7);
  CHECK(rule->on_gradient(push(2, 6), 7) == decisions{discard_stale{1}});
  CHECK(rule->round_size() == 1);
}

TEST_CASE("K is capped by the live workers under on_failure = continue") {
  auto rule = make_server_rule(training_of(mode_kind::ksync, 3), 3);
  rule->on_gradient(push(0, 0), 0);
  rule->on_gradient(push(1, 0), 0);
  CHECK(rule->on_worker_lost(2, 0)
        == decisions{apply_round{0.1, {{0, 0, 1}, {1, 0, 1}}}, broadcast_all{}});
}

TEST_CASE("a repeat of the open round is left to the broadcast; others are answered") {
  auto rule = make_server_rule(training_of(mode_kind::ksync, 2), 3);
  CHECK(rule->on_repeat(push(0, 4), 4).empty());
  CHECK(rule->on_repeat(push(0, 3), 4) == decisions{reply_to{0}});
}

}
