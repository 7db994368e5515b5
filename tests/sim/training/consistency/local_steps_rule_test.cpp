// Local steps in the server modes (rule.cpp): model deltas are applied at
// server_learning_rate (weighted by staleness), gradients at the scheduled rate.
#include "sim/training/consistency/rule.hpp"

#include "tests/sim/training/consistency/rule_support.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;
using psim::test::push;
using psim::test::training_of;

namespace {

training_config deltas_of(mode_kind mode, std::size_t steps, double server_rate) {
  auto training = training_of(mode);
  training.local_steps = steps;
  training.server_learning_rate = server_rate;
  training.k = 2;
  return training;
}

} // namespace

TEST_SUITE("sim.consistency.local_steps") {

TEST_CASE("async with H = 1 applies gradients at the learning rate, as before") {
  auto rule = make_server_rule(deltas_of(mode_kind::async, 1, 0.5), 2);
  CHECK(rule->on_gradient(push(0, 0), 0) == decisions{apply_gradient{0.1, 0}, reply_to{0}});
}

TEST_CASE("FedAsync: async with H > 1 applies each delta at server_learning_rate") {
  auto training = deltas_of(mode_kind::async, 4, 0.5);
  training.staleness_lr.kind = weighting_kind::inverse;
  auto rule = make_server_rule(training, 2);
  CHECK(rule->on_gradient(push(0, 0, 32, 4), 0) == decisions{apply_gradient{0.5, 0}, reply_to{0}});
  CHECK(rule->on_gradient(push(1, 0, 32, 4), 2) == decisions{apply_gradient{0.5, 2, 0.5}, reply_to{1}});
}

TEST_CASE("FedBuff: kasync with H > 1 averages K deltas and applies them at server_learning_rate") {
  auto rule = make_server_rule(deltas_of(mode_kind::kasync, 8, 2.0), 3);
  CHECK(rule->on_gradient(push(0, 0, 10, 8), 0) == decisions{take_into_round{10}});
  CHECK(rule->on_gradient(push(2, 0, 30, 8), 0)
        == decisions{take_into_round{30}, apply_round{2.0, {{0, 0, 8}, {2, 0, 8}}},
                     reply_to{0}, reply_to{2}});
}

TEST_CASE("ssp with H > 1 applies deltas at server_learning_rate") {
  auto rule = make_server_rule(deltas_of(mode_kind::ssp, 3, 0.7), 1);
  auto out = rule->on_gradient(push(0, 0, 32, 3), 0);
  CHECK(out.front() == decision{apply_gradient{0.7, 0}});
}

TEST_CASE("local_sgd applies at server_learning_rate, 1 by default") {
  CHECK(make_server_rule(deltas_of(mode_kind::local_sgd, 8, 1.0), 1)->on_gradient(push(0, 0, 5, 8), 0)
        == decisions{take_into_round{5}, apply_round{1.0, {{0, 0, 8}}}, broadcast_all{}});
  CHECK(make_server_rule(deltas_of(mode_kind::local_sgd, 8, 0.3), 1)->on_gradient(push(0, 0, 5, 8), 0)
        == decisions{take_into_round{5}, apply_round{0.3, {{0, 0, 8}}}, broadcast_all{}});
}

}
