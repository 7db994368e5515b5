// Client sampling in the round modes (participants.cpp, round.cpp): C live workers per
// round drawn uniformly, only they answered and counted; C = N changes nothing.
#include "sim/training/consistency/participants.hpp"
#include "sim/training/consistency/rule.hpp"

#include "tests/sim/training/consistency/rule_support.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace psim::sim;
using psim::test::push;
using psim::test::training_of;

namespace {

// The workers a list of decisions answers, in order.
std::vector<std::uint32_t> answered(const decisions& ds) {
  std::vector<std::uint32_t> out;
  for (const auto& d : ds)
    if (const auto* r = std::get_if<reply_to>(&d))
      out.push_back(r->worker);
  return out;
}

} // namespace

TEST_SUITE("sim.consistency.participants") {

TEST_CASE("a draw picks C distinct live workers, in worker order") {
  participants p(3, 8, 42);
  CHECK(p.sampling());
  std::vector<bool> live(8, true);
  live[2] = false;
  for (int round = 0; round < 50; ++round) {
    auto picked = p.draw(live);
    REQUIRE(picked.size() == 3);
    CHECK(std::is_sorted(picked.begin(), picked.end()));
    CHECK(std::adjacent_find(picked.begin(), picked.end()) == picked.end());
    for (auto w : picked) {
      CHECK(w != 2);
      CHECK(p.has(w));
    }
  }
}

TEST_CASE("with fewer live workers than C a draw takes them all") {
  participants p(5, 6, 1);
  std::vector<bool> live{true, false, true, false, false, false};
  CHECK(p.draw(live) == std::vector<std::uint32_t>{0, 2});
}

TEST_CASE("C = 0 or C = N draws nothing: every worker takes part") {
  CHECK(!participants(0, 4, 1).sampling());
  CHECK(!participants(4, 4, 1).sampling());
}

TEST_CASE("each worker's share of rounds is within 4 standard errors of C/N") {
  const std::size_t workers = 20, chosen = 5, rounds = 4000;
  round_sampling sampling{chosen, 7};
  auto rule = make_server_rule(training_of(mode_kind::sync), workers, sampling);
  std::vector<std::size_t> taken(workers, 0);
  auto next = answered(rule->on_start());
  for (std::uint64_t version = 0; version < rounds; ++version) {
    REQUIRE(next.size() == chosen);
    decisions last;
    for (auto w : next) {
      ++taken[w];
      last = rule->on_gradient(push(w, version), version);
    }
    REQUIRE(std::holds_alternative<apply_round>(last.at(1)));
    next = answered(last);
  }
  double p = static_cast<double>(chosen) / workers;
  double se = std::sqrt(p * (1 - p) / rounds);
  for (std::size_t w = 0; w < workers; ++w) {
    CAPTURE(w);
    CHECK(std::abs(static_cast<double>(taken[w]) / rounds - p) < 4 * se);
  }
}

TEST_CASE("a round applies only its participants' gradients and answers the next ones") {
  auto rule = make_server_rule(training_of(mode_kind::local_sgd), 6, {2, 3});
  auto first = answered(rule->on_start());
  REQUIRE(first.size() == 2);
  std::uint32_t outsider = 0;
  while (outsider == first[0] || outsider == first[1])
    ++outsider;
  CHECK(rule->on_gradient(push(outsider, 0), 0) == decisions{discard_stale{0}});
  CHECK(rule->on_repeat(push(outsider, 0), 0).empty());
  CHECK(rule->on_gradient(push(first[0], 0, 10), 0) == decisions{take_into_round{10}});
  auto closing = rule->on_gradient(push(first[1], 0, 30), 0);
  REQUIRE(closing.size() == 4);
  CHECK(closing[1] == decision{apply_round{1.0, {{first[0], 0, 1}, {first[1], 0, 1}}}});
  CHECK(answered(closing).size() == 2);
}

TEST_CASE("a lost participant closes the round with the others (on_failure = continue)") {
  auto rule = make_server_rule(training_of(mode_kind::sync), 5, {3, 11});
  auto first = answered(rule->on_start());
  REQUIRE(first.size() == 3);
  rule->on_gradient(push(first[0], 0), 0);
  rule->on_gradient(push(first[1], 0), 0);
  auto after = rule->on_worker_lost(first[2], 0);
  REQUIRE(!after.empty());
  CHECK(std::holds_alternative<apply_round>(after[0]));
  for (auto w : answered(after))
    CHECK(w != first[2]);
}

TEST_CASE("a worker that joins is answered only when the round takes it") {
  auto training = training_of(mode_kind::sync);
  auto rule = make_server_rule(training, 4, {2, 5});
  auto first = answered(rule->on_start());
  std::uint32_t outsider = 0;
  while (outsider == first[0] || outsider == first[1])
    ++outsider;
  rule->on_worker_lost(outsider, 0);
  CHECK(rule->on_worker_joined(outsider).empty());
  rule->on_worker_lost(first[0], 0);
  // Under "continue" the round now has one participant present and wants two: the
  // next worker back takes the free place.
  CHECK(rule->on_worker_joined(outsider) == decisions{reply_to{outsider}});
}

TEST_CASE("without sampling the rules start with a broadcast, as before") {
  for (auto mode : {mode_kind::sync, mode_kind::ksync, mode_kind::local_sgd, mode_kind::async}) {
    auto rule = make_server_rule(training_of(mode), 4, {4, 1});
    CHECK(rule->on_start() == decisions{broadcast_all{}});
  }
}

}
