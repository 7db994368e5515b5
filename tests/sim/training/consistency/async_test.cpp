// The async rule (sim/training/consistency/async.cpp): every gradient applied on
// arrival, scaled by its staleness factor, its worker answered at once.
#include "sim/training/consistency/rule.hpp"

#include "tests/sim/training/consistency/rule_support.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;
using psim::test::push;
using psim::test::training_of;

TEST_SUITE("sim.consistency.async") {

TEST_CASE("a gradient is applied on arrival and its worker answered") {
  auto rule = make_server_rule(training_of(mode_kind::async), 3);
  CHECK(rule->on_gradient(push(1, 4), 7) == decisions{apply_gradient{0.1, 3}, reply_to{1}});
}

TEST_CASE("inverse staleness weighting scales the gradient by 1 / tau at the base rate") {
  auto training = training_of(mode_kind::async);
  training.staleness_lr.kind = weighting_kind::inverse;
  auto rule = make_server_rule(training, 2);
  CHECK(rule->on_gradient(push(0, 6), 10)
        == decisions{apply_gradient{0.1, 4, 1.0 / 4}, reply_to{0}});
  CHECK(rule->on_gradient(push(0, 9), 10) == decisions{apply_gradient{0.1, 1, 1}, reply_to{0}});
}

TEST_CASE("drop_stale discards a gradient staler than N, and still answers") {
  auto training = training_of(mode_kind::async);
  training.drop_stale = 2;
  auto rule = make_server_rule(training, 2);
  CHECK(rule->on_gradient(push(0, 5), 8) == decisions{discard_stale{3}, reply_to{0}});
  CHECK(rule->on_gradient(push(0, 6), 8) == decisions{apply_gradient{0.1, 2}, reply_to{0}});
}

TEST_CASE("a repeat is always answered; a lost worker changes nothing") {
  auto rule = make_server_rule(training_of(mode_kind::async), 2);
  CHECK(rule->on_repeat(push(1, 3), 3) == decisions{reply_to{1}});
  CHECK(rule->on_worker_lost(1, 3).empty());
  CHECK(rule->live_count() == 1);
  CHECK(rule->round_size() == 0);
}

}
