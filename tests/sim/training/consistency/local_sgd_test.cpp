// The local_sgd rule (sim/training/consistency/local_sgd.cpp): every live worker's
// model delta, averaged and applied at rate 1, then broadcast.
#include "sim/training/consistency/rule.hpp"

#include "tests/sim/training/consistency/rule_support.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;
using psim::test::push;
using psim::test::training_of;

TEST_SUITE("sim.consistency.local_sgd") {

TEST_CASE("the deltas of every worker are applied at rate 1 and broadcast") {
  auto training = training_of(mode_kind::local_sgd);
  training.learning_rate = 0.3;
  auto rule = make_server_rule(training, 2);
  CHECK(rule->on_gradient(push(0, 2, 10, 8), 2) == decisions{take_into_round{10}});
  CHECK(rule->on_gradient(push(1, 2, 10, 8), 2)
        == decisions{take_into_round{10}, apply_round{1.0, {{0, 0, 8}, {1, 0, 8}}},
                     broadcast_all{}});
}

TEST_CASE("a delta on an older version is discarded") {
  auto rule = make_server_rule(training_of(mode_kind::local_sgd), 2);
  CHECK(rule->on_gradient(push(0, 1, 10, 8), 2) == decisions{discard_stale{1}});
}

TEST_CASE("a repeat of the open round waits for the broadcast") {
  auto rule = make_server_rule(training_of(mode_kind::local_sgd), 2);
  CHECK(rule->on_repeat(push(0, 2), 2).empty());
  CHECK(rule->on_repeat(push(0, 1), 2) == decisions{reply_to{0}});
}

}
