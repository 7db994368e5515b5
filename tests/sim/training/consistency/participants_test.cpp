// Client sampling in the round modes (participants.cpp, round.cpp): C live workers per
// round drawn uniformly, only they answered and counted; C = N changes nothing.
#include "sim/training/consistency/participants.hpp"
#include "sim/training/consistency/rule.hpp"

#include "tests/sim/training/consistency/rule_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>

using namespace psim::sim;
using psim::test::answered;
using psim::test::push;
using psim::test::training_of;

namespace {

// The draw as first written, listing every live worker: partial Fisher-Yates on the
// list, from the same stream; the reference the O(C log N) draw must equal.
std::vector<std::uint32_t> listed_draw(std::size_t wanted, const std::vector<bool>& live,
                                       random_stream& rng) {
  std::vector<std::uint32_t> pool;
  for (std::uint32_t w = 0; w < live.size(); ++w)
    if (live[w])
      pool.push_back(w);
  auto picks = std::min(wanted, pool.size());
  for (std::size_t i = 0; i < picks; ++i)
    std::swap(pool[i], pool[i + rng.below(pool.size() - i)]);
  pool.resize(picks);
  std::sort(pool.begin(), pool.end());
  return pool;
}

} // namespace

TEST_SUITE("sim.consistency.participants") {

TEST_CASE("a draw picks C distinct live workers, in worker order") {
  participants p(3, 8, 42);
  CHECK(p.sampling());
  p.set_live(2, false);
  for (int round = 0; round < 50; ++round) {
    auto picked = p.draw();
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
  for (std::uint32_t w : {1, 3, 4, 5})
    p.set_live(w, false);
  CHECK(p.draw() == std::vector<std::uint32_t>{0, 2});
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

TEST_CASE("the j-th live worker is the one a scan finds, as workers come and go") {
  const std::size_t workers = 37;
  live_ranks ranks(workers);
  std::vector<bool> live(workers, true);
  std::mt19937 gen(5);
  for (int step = 0; step < 400; ++step) {
    auto w = static_cast<std::uint32_t>(gen() % workers);
    live[w] = gen() % 3 == 0;
    ranks.set(w, live[w]);
    std::vector<std::uint32_t> listed;
    for (std::uint32_t u = 0; u < workers; ++u)
      if (live[u])
        listed.push_back(u);
    REQUIRE(ranks.size() == listed.size());
    for (std::size_t j = 0; j < listed.size(); ++j)
      CHECK(ranks.nth(j) == listed[j]);
  }
}

TEST_CASE("the draws are those of shuffling the listed live workers, same stream") {
  for (std::size_t wanted : {1, 3, 10, 40}) {
    const std::size_t workers = 30;
    participants p(wanted, workers, 9);
    random_stream rng(9, "participation");
    std::vector<bool> live(workers, true);
    std::mt19937 gen(11);
    for (int round = 0; round < 300; ++round) {
      auto w = static_cast<std::uint32_t>(gen() % workers);
      live[w] = gen() % 4 != 0;
      p.set_live(w, live[w]);
      CAPTURE(round);
      CHECK(p.draw() == listed_draw(wanted, live, rng));
    }
  }
}

}
