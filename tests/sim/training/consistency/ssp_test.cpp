// The ssp rule (sim/training/consistency/ssp.cpp): apply on arrival, but hold a worker
// back while it is more than staleness_bound pushes ahead of the slowest live worker.
#include "sim/training/consistency/rule.hpp"

#include "tests/sim/training/consistency/rule_support.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;
using psim::test::push;
using psim::test::training_of;

namespace {

std::unique_ptr<server_rule> ssp_rule(std::int64_t bound, std::size_t workers,
                                      failure_policy on_failure = failure_policy::continue_live) {
  auto training = training_of(mode_kind::ssp);
  training.staleness_bound = bound;
  training.on_failure = on_failure;
  return make_server_rule(training, workers);
}

} // namespace

TEST_SUITE("sim.consistency.ssp") {

TEST_CASE("a worker within the bound is answered at once") {
  auto rule = ssp_rule(1, 2);
  CHECK(rule->on_gradient(push(0, 0), 0) == decisions{apply_gradient{0.1, 0}, reply_to{0}});
}

TEST_CASE("a worker beyond the bound is held back and released by the slowest") {
  auto rule = ssp_rule(1, 2);
  rule->on_gradient(push(0, 0), 0);
  CHECK(rule->on_gradient(push(0, 1), 1) == decisions{apply_gradient{0.1, 0}, hold_back{0}});
  // Worker 1's first push brings the slowest clock to 1: worker 0 (clock 2) may go on.
  CHECK(rule->on_gradient(push(1, 0), 2)
        == decisions{apply_gradient{0.1, 2}, reply_to{0}, reply_to{1}});
}

TEST_CASE("bound 0 makes every worker wait for all others") {
  auto rule = ssp_rule(0, 3);
  CHECK(rule->on_gradient(push(2, 0), 0) == decisions{apply_gradient{0.1, 0}, hold_back{2}});
  CHECK(rule->on_gradient(push(0, 0), 1) == decisions{apply_gradient{0.1, 1}, hold_back{0}});
  CHECK(rule->on_gradient(push(1, 0), 2)
        == decisions{apply_gradient{0.1, 2}, reply_to{0}, reply_to{1}, reply_to{2}});
}

TEST_CASE("a held-back worker's repeat is not answered; others are") {
  auto rule = ssp_rule(0, 2);
  rule->on_gradient(push(0, 0), 0);
  CHECK(rule->on_repeat(push(0, 0), 1).empty());
  CHECK(rule->on_repeat(push(1, 0), 1) == decisions{reply_to{1}});
}

TEST_CASE("a lost worker releases the workers it held back, unless on_failure = wait") {
  auto rule = ssp_rule(0, 2);
  rule->on_gradient(push(0, 0), 0);
  CHECK(rule->on_worker_lost(1, 1) == decisions{reply_to{0}});

  auto waiting = ssp_rule(0, 2, failure_policy::wait);
  waiting->on_gradient(push(0, 0), 0);
  CHECK(waiting->on_worker_lost(1, 1).empty());
}

TEST_CASE("a restart sets every clock back to zero and broadcasts") {
  auto rule = ssp_rule(0, 2);
  rule->on_gradient(push(0, 0), 0);
  CHECK(rule->on_server_restart() == decisions{broadcast_all{}});
  CHECK(rule->on_repeat(push(0, 0), 0) == decisions{reply_to{0}});
  CHECK(rule->on_gradient(push(1, 0), 0) == decisions{apply_gradient{0.1, 0}, hold_back{1}});
}

TEST_CASE("drop_stale applies to ssp, and the worker still counts a push") {
  auto training = training_of(mode_kind::ssp);
  training.staleness_bound = 0;
  training.drop_stale = 0;
  auto rule = make_server_rule(training, 1);
  CHECK(rule->on_gradient(push(0, 2), 3) == decisions{discard_stale{1}, reply_to{0}});
}

}
