// The sync rule (sim/training/consistency/sync.cpp): a round of one gradient per live
// worker on the current version, applied with samples weights, then broadcast.
#include "sim/training/consistency/rule.hpp"

#include "tests/sim/training/consistency/rule_support.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;
using psim::test::push;
using psim::test::training_of;

TEST_SUITE("sim.consistency.sync") {

TEST_CASE("the round is applied at the N-th gradient, weighted by samples, and broadcast") {
  auto rule = make_server_rule(training_of(mode_kind::sync), 3);
  CHECK(rule->on_gradient(push(0, 0, 10), 0) == decisions{take_into_round{10}});
  CHECK(rule->on_gradient(push(2, 0, 30), 0) == decisions{take_into_round{30}});
  CHECK(rule->round_size() == 2);
  CHECK(rule->in_round(2));
  CHECK(!rule->in_round(1));
  CHECK(rule->on_gradient(push(1, 0, 20, 2), 0)
        == decisions{take_into_round{20},
                     apply_round{0.1, {{0, 0, 1}, {2, 0, 1}, {1, 0, 2}}},
                     broadcast_all{}});
  CHECK(rule->round_size() == 0);
  CHECK(!rule->in_round(2));
}

TEST_CASE("a gradient on an older version is discarded with its staleness") {
  auto rule = make_server_rule(training_of(mode_kind::sync), 2);
  CHECK(rule->on_gradient(push(0, 3), 5) == decisions{discard_stale{2}});
  CHECK(rule->round_size() == 0);
}

TEST_CASE("a second gradient from the same worker in one round is discarded") {
  auto rule = make_server_rule(training_of(mode_kind::sync), 2);
  rule->on_gradient(push(0, 4), 4);
  CHECK(rule->on_gradient(push(0, 4), 4) == decisions{discard_stale{0}});
  CHECK(rule->round_size() == 1);
}

TEST_CASE("the rate follows the learning-rate schedule at the server's version") {
  auto training = training_of(mode_kind::sync);
  training.schedule.kind = schedule_kind::step;
  training.schedule.every = 10;
  training.schedule.factor = 0.5;
  auto rule = make_server_rule(training, 1);
  auto got = rule->on_gradient(push(0, 25), 25);
  REQUIRE(got.size() == 3);
  CHECK(std::get<apply_round>(got[1]).rate == 0.1 * 0.25);
}

TEST_CASE("a lost worker lets the live ones complete the round under on_failure = continue") {
  auto rule = make_server_rule(training_of(mode_kind::sync), 3);
  rule->on_gradient(push(0, 0), 0);
  rule->on_gradient(push(1, 0), 0);
  CHECK(rule->on_worker_lost(2, 0)
        == decisions{apply_round{0.1, {{0, 0, 1}, {1, 0, 1}}}, broadcast_all{}});
  CHECK(rule->live_count() == 2);
  CHECK(!rule->live(2));
  // The next round needs only the two live workers.
  rule->on_gradient(push(0, 1), 1);
  CHECK(rule->on_gradient(push(1, 1), 1).size() == 3);
}

TEST_CASE("under on_failure = wait a round waits for every worker") {
  auto training = training_of(mode_kind::sync);
  training.on_failure = failure_policy::wait;
  auto rule = make_server_rule(training, 3);
  rule->on_gradient(push(0, 0), 0);
  rule->on_gradient(push(1, 0), 0);
  CHECK(rule->on_worker_lost(2, 0).empty());
  CHECK(rule->on_worker_joined(2) == decisions{reply_to{2}});
  CHECK(rule->live_count() == 3);
  CHECK(rule->on_gradient(push(2, 0), 0).size() == 3);
}

TEST_CASE("a lost worker with an empty round changes nothing, and counts once") {
  auto rule = make_server_rule(training_of(mode_kind::sync), 2);
  CHECK(rule->on_worker_lost(1, 0).empty());
  CHECK(rule->on_worker_lost(1, 0).empty());
  CHECK(rule->live_count() == 1);
  CHECK(rule->on_worker_joined(1) == decisions{reply_to{1}});
  CHECK(rule->on_worker_joined(1) == decisions{reply_to{1}});
  CHECK(rule->live_count() == 2);
}

TEST_CASE("a repeat is answered unless its round is still open") {
  auto rule = make_server_rule(training_of(mode_kind::sync), 2);
  CHECK(rule->on_repeat(push(0, 7), 7).empty());
  CHECK(rule->on_repeat(push(0, 6), 7) == decisions{reply_to{0}});
  auto before_crash = push(1, 7);
  before_crash.same_epoch = false;
  CHECK(rule->on_repeat(before_crash, 7) == decisions{reply_to{1}});
}

TEST_CASE("a server crash forgets the round and a restart broadcasts") {
  auto rule = make_server_rule(training_of(mode_kind::sync), 2);
  rule->on_gradient(push(0, 3), 3);
  rule->on_server_crash();
  CHECK(rule->round_size() == 0);
  CHECK(rule->on_server_restart() == decisions{broadcast_all{}});
  CHECK(rule->on_gradient(push(0, 2), 2) == decisions{take_into_round{10}});
}

TEST_CASE("allreduce has no server rule") {
  CHECK(make_server_rule(training_of(mode_kind::allreduce), 2) == nullptr);
}

}
