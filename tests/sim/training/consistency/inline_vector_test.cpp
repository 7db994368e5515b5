// Tests for sim/training/consistency/inline_vector.hpp: every operation leaves the same
// elements as std::vector does, below, at and beyond the inline room, with elements that
// own memory (decisions holding an apply_round's member list).
#include "sim/training/consistency/decision.hpp"

#include <doctest/doctest.h>

#include <random>
#include <stdexcept>
#include <vector>

using namespace psim::sim;

namespace {

// A decision that owns heap memory when `n` is odd, so copies and moves must be right.
decision numbered(std::uint32_t n) {
  if (n % 2)
    return apply_round{1.0, {applied_gradient{n, n, 1}, applied_gradient{n + 1, 0, 2}}};
  return reply_to{n};
}

bool same(const decisions& got, const std::vector<decision>& want) {
  return std::equal(got.begin(), got.end(), want.begin(), want.end());
}

} // namespace

TEST_SUITE("sim.training.consistency.inline_vector") {

TEST_CASE("a list of decisions keeps three in place and grows beyond") {
  decisions d{reply_to{1}, broadcast_all{}};
  CHECK(d.size() == 2);
  d.push_back(hold_back{2});
  d.insert(d.begin(), decision{discard_stale{3}});
  CHECK(d == decisions{discard_stale{3}, reply_to{1}, broadcast_all{}, hold_back{2}});
  CHECK(d.at(3) == decision{hold_back{2}});
  CHECK_THROWS_AS(d.at(4), std::out_of_range);
  d.erase(d.begin() + 1);
  CHECK(d == decisions{discard_stale{3}, broadcast_all{}, hold_back{2}});
  CHECK(decisions{}.empty());
}

TEST_CASE("random operations leave what std::vector leaves") {
  std::mt19937 gen(7);
  decisions got;
  std::vector<decision> want;
  for (std::uint32_t i = 0; i < 4000; ++i) {
    auto pos = want.empty() ? 0 : gen() % (want.size() + 1);
    switch (gen() % 7) {
    case 0: got.push_back(numbered(i)); want.push_back(numbered(i)); break;
    case 1:
      got.insert(got.begin() + pos, numbered(i));
      want.insert(want.begin() + static_cast<std::ptrdiff_t>(pos), numbered(i));
      break;
    case 2: {
      decisions more{numbered(i), numbered(i + 1)};
      got.insert(got.begin() + pos, more.begin(), more.end());
      want.insert(want.begin() + static_cast<std::ptrdiff_t>(pos), more.begin(), more.end());
      break;
    }
    case 3:
      if (!want.empty()) {
        got.erase(got.begin() + pos % want.size());
        want.erase(want.begin() + static_cast<std::ptrdiff_t>(pos % want.size()));
      }
      break;
    case 4: { decisions copy = got; got = std::move(copy); break; }
    case 5: { decisions moved{std::move(got)}; got = moved; break; }
    default:
      if (want.size() > 6) { got.clear(); want.clear(); }
    }
    REQUIRE(same(got, want));
  }
}

} // TEST_SUITE
