// The work of sync, ksync, kasync and ssp per gradient does not grow with the number of
// workers: the rules' counters of per-worker entries touched (server_rule::work) are
// equal per gradient at 10 and at 10,000 workers.
#include "sim/training/consistency/rule.hpp"

#include "tests/sim/training/consistency/rule_support.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;
using psim::test::answered;
using psim::test::push;
using psim::test::training_of;

namespace {

constexpr std::uint64_t pushes = 20'000;

// Work after `pushes` gradients, each from the next worker in turn on the current
// version (which goes up at every applied round), with a repeat of every tenth push.
std::uint64_t work_of(const training_config& training, std::size_t workers) {
  auto rule = make_server_rule(training, workers);
  std::uint64_t version = 0;
  for (std::uint64_t i = 0; i < pushes; ++i) {
    auto g = push(static_cast<std::uint32_t>(i % workers), version);
    for (const auto& d : rule->on_gradient(g, version))
      if (std::holds_alternative<apply_round>(d))
        ++version;
    if (i % 10 == 0)
      rule->on_repeat(g, version);
  }
  return rule->work();
}

// Work of losing and rejoining each worker in turn, `pushes` times.
std::uint64_t churn_work_of(const training_config& training, std::size_t workers) {
  auto rule = make_server_rule(training, workers);
  for (std::uint64_t i = 0; i < pushes; ++i) {
    auto w = static_cast<std::uint32_t>(i % workers);
    rule->on_worker_lost(w, 0);
    rule->on_worker_joined(w);
  }
  return rule->work();
}

// Work of `rounds` rounds of `mode` drawing 3 participants each: every participant
// pushes on the current version, then the next round's are drawn; with a loss and a
// rejoin of the first participant of every tenth round.
std::uint64_t sampled_work_of(mode_kind mode, std::size_t workers, std::uint64_t rounds) {
  auto rule = make_server_rule(training_of(mode, 3), workers, round_sampling{3, 5});
  auto next = answered(rule->on_start());
  for (std::uint64_t version = 0; version < rounds; ++version) {
    if (version % 10 == 0) {
      rule->on_worker_lost(next.front(), version);
      rule->on_worker_joined(next.front());
    }
    decisions last;
    for (auto w : next)
      last = rule->on_gradient(push(w, version), version);
    REQUIRE(std::holds_alternative<apply_round>(last.at(1)));
    next = answered(last);
  }
  return rule->work();
}

/// Checks that `training` does the same work per gradient, and under churn, at 10 and at
/// 10,000 workers (and some work at all, so that the counter is seen to count).
void check_constant_work(const training_config& training) {
  auto small = work_of(training, 10);
  CHECK(small > 0);
  CHECK(work_of(training, 10'000) == small);
  CHECK(churn_work_of(training, 10'000) == churn_work_of(training, 10));
}

} // namespace

TEST_SUITE("sim.consistency.work") {

TEST_CASE("sync takes the same work per gradient at 10 and at 10,000 workers") {
  check_constant_work(training_of(mode_kind::sync));
}

TEST_CASE("ksync takes the same work per gradient at 10 and at 10,000 workers") {
  check_constant_work(training_of(mode_kind::ksync, 3));
}

TEST_CASE("kasync takes the same work per gradient at 10 and at 10,000 workers") {
  check_constant_work(training_of(mode_kind::kasync, 3));
}

TEST_CASE("ssp takes the same work per gradient at 10 and at 10,000 workers") {
  check_constant_work(training_of(mode_kind::ssp));
  // Bound 0 holds every worker back until the last of its round pushes, then releases
  // them all at once: each still costs the same.
  auto training = training_of(mode_kind::ssp);
  training.staleness_bound = 0;
  check_constant_work(training);
}

TEST_CASE("drawing C participants takes the same work at 10 and at 10,000 workers") {
  for (auto mode : {mode_kind::sync, mode_kind::ksync, mode_kind::local_sgd}) {
    auto small = sampled_work_of(mode, 10, 2000);
    CHECK(small > 0);
    CHECK(sampled_work_of(mode, 10'000, 2000) == small);
  }
}

TEST_CASE("a round of K gradients is cleared in K steps, not in one per worker") {
  // kasync with K = 2 of 10,000 workers: 2 adds and 2 cleared entries, no sweep.
  auto rule = make_server_rule(training_of(mode_kind::kasync, 2), 10'000);
  rule->on_gradient(push(7, 0), 0);
  rule->on_gradient(push(9000, 0), 0);
  CHECK(rule->work() == 4);
  CHECK(rule->round_size() == 0);
  // The cleared workers can be taken into the next round again.
  CHECK(rule->on_gradient(push(7, 1), 1) == decisions{take_into_round{10}});
}

}
