// The ring all-reduce as pure state machines: N simulated members, chunks carried by
// hand in any order, end with the same batch-weighted average step on every replica.
#include "sim/training/worker/ring.hpp"

#include "sim/random/random.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <deque>
#include <vector>

using namespace psim::sim;

namespace {

// A chunk on its way to member `to`.
struct in_flight {
  std::size_t to;
  std::uint64_t round;
  std::uint32_t step;
  std::vector<double> values;
};

// Runs one round of `members` with gradient g_w over n_w samples; chunks are
// delivered in the order `rng` picks. Returns how many members completed.
std::size_t run_round(std::vector<ring_member>& members, const std::vector<vector>& gradients,
                      const std::vector<std::uint32_t>& samples, std::vector<vector>& thetas,
                      random_stream& rng) {
  std::deque<in_flight> wire;
  std::size_t completed = 0;
  auto carry_out = [&](std::size_t w, ring_action action) {
    for (;;) {
      if (action.what == ring_action::kind::wait)
        return;
      if (action.what == ring_action::kind::complete) {
        members[w].apply(thetas[w], 0.5);
        ++completed;
        return;
      }
      wire.push_back({members[w].successor(), 0, action.step, members[w].chunk(action.chunk)});
      action = members[w].advance(0);
    }
  };
  for (std::size_t w = 0; w < members.size(); ++w)
    carry_out(w, members[w].join(gradients[w], samples[w]));
  while (!wire.empty()) {
    auto pick = static_cast<std::size_t>(rng.below(wire.size()));
    auto chunk = wire[pick];
    wire.erase(wire.begin() + static_cast<std::ptrdiff_t>(pick));
    members[chunk.to].arrive(chunk.round, chunk.step, chunk.values);
    carry_out(chunk.to, members[chunk.to].advance(0));
  }
  return completed;
}

} // namespace

TEST_SUITE("sim.ring") {

TEST_CASE("N members reach the batch-weighted average and identical replicas") {
  for (std::size_t n : {2u, 3u, 5u}) {
    const Eigen::Index params = 7;
    random_stream rng{11, "ring-test"};
    std::vector<ring_member> members;
    std::vector<vector> gradients, thetas;
    std::vector<std::uint32_t> samples;
    for (std::size_t w = 0; w < n; ++w) {
      members.emplace_back(n, w, params);
      vector g(params);
      for (Eigen::Index k = 0; k < params; ++k)
        g[k] = rng.normal();
      gradients.push_back(g);
      samples.push_back(static_cast<std::uint32_t>(3 + w));
      thetas.push_back(vector::Ones(params));
    }
    CHECK(run_round(members, gradients, samples, thetas, rng) == n);
    vector weighted = vector::Zero(params);
    double rows = 0;
    for (std::size_t w = 0; w < n; ++w) {
      weighted += samples[w] * gradients[w];
      rows += samples[w];
    }
    vector expected = vector::Ones(params) - 0.5 * weighted / rows;
    for (std::size_t w = 0; w < n; ++w) {
      CHECK(members[w].sum()[params] == rows);
      CHECK(thetas[w] == thetas[0]); // bit for bit: every member applies the same sum
      CHECK((thetas[w] - expected).cwiseAbs().maxCoeff() < 1e-12);
    }
  }
}

TEST_CASE("a member alone completes at once with its own gradient") {
  ring_member alone{1, 0, 2};
  auto action = alone.join(vector{{2.0, -4.0}}, 4);
  CHECK(action.what == ring_action::kind::complete);
  vector theta{{1.0, 1.0}};
  alone.apply(theta, 0.25);
  CHECK(theta == vector{{0.5, 2.0}});
  CHECK(alone.advance(0).what == ring_action::kind::wait);
}

TEST_CASE("a chunk that arrives before its step waits for it") {
  ring_member member{3, 1, 5};
  member.arrive(0, 1, std::vector<double>(2, 1.0)); // step 1 before step 0
  CHECK(member.advance(0).what == ring_action::kind::wait); // not joined yet
  auto first = member.join(vector::Ones(5), 1);
  CHECK(first.what == ring_action::kind::send);
  CHECK(first.step == 0);
  CHECK(first.chunk == 1);
  CHECK(member.advance(0).what == ring_action::kind::wait); // step 0's chunk missing
  member.arrive(0, 0, std::vector<double>(2, 1.0));
  auto next = member.advance(0);
  CHECK(next.what == ring_action::kind::send);
  CHECK(next.step == 1);
  CHECK(member.advance(0).what == ring_action::kind::send); // step 1 was waiting
  CHECK(member.advance(1).what == ring_action::kind::wait); // another round's chunks only
}

}
