// The worker rules chosen by mode: what a finished computation leads to, and which
// modes abandon a computation when newer parameters arrive (only ksync).
#include "sim/training/worker/worker_rule.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;

namespace {

training_config training_of(mode_kind mode, bool local_update = false) {
  training_config t;
  t.mode = mode;
  t.local_update = local_update;
  t.local_steps = mode == mode_kind::local_sgd ? 5 : 1;
  return t;
}

} // namespace

TEST_SUITE("sim.worker_rule") {

TEST_CASE("ksync abandons a computation when a newer round arrives, the others do not") {
  CHECK(make_worker_rule(training_of(mode_kind::ksync))->abandons_on_newer());
  for (auto mode : {mode_kind::sync, mode_kind::async, mode_kind::ssp, mode_kind::kasync,
                    mode_kind::local_sgd, mode_kind::allreduce})
    CHECK(!make_worker_rule(training_of(mode))->abandons_on_newer());
}

TEST_CASE("the push modes push every gradient, one per push") {
  for (auto mode : {mode_kind::sync, mode_kind::async, mode_kind::ssp, mode_kind::ksync,
                    mode_kind::kasync}) {
    auto rule = make_worker_rule(training_of(mode));
    CHECK(rule->on_computed() == computed_action::push);
    CHECK(rule->steps_per_push() == 1);
    CHECK(!rule->keeps_replica());
    CHECK(!rule->applies_own_gradient());
  }
}

TEST_CASE("local_update makes the worker apply its own gradient before pushing") {
  auto rule = make_worker_rule(training_of(mode_kind::async, true));
  CHECK(rule->on_computed() == computed_action::push);
  CHECK(rule->applies_own_gradient());
}

TEST_CASE("with local_steps = H > 1 every server mode takes local steps (FedAsync, FedBuff)") {
  for (auto mode : {mode_kind::sync, mode_kind::async, mode_kind::ssp, mode_kind::ksync,
                    mode_kind::kasync}) {
    auto training = training_of(mode);
    training.local_steps = 4;
    auto rule = make_worker_rule(training);
    CHECK(rule->on_computed() == computed_action::local_step);
    CHECK(rule->steps_per_push() == 4);
  }
  auto ring = training_of(mode_kind::allreduce);
  ring.local_steps = 4;
  CHECK(make_worker_rule(ring)->on_computed() == computed_action::join_ring);
}

TEST_CASE("local_sgd takes local steps and pushes every H of them") {
  auto rule = make_worker_rule(training_of(mode_kind::local_sgd, true));
  CHECK(rule->on_computed() == computed_action::local_step);
  CHECK(rule->steps_per_push() == 5);
  CHECK(!rule->applies_own_gradient());
}

TEST_CASE("allreduce joins the ring and keeps its own replica") {
  auto rule = make_worker_rule(training_of(mode_kind::allreduce));
  CHECK(rule->on_computed() == computed_action::join_ring);
  CHECK(rule->keeps_replica());
}

}
