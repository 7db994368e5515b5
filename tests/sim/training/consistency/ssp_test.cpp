// The ssp rule (sim/training/consistency/ssp.cpp): apply on arrival, but hold a worker
// back while it is more than staleness_bound pushes ahead of the slowest live worker.
#include "sim/training/consistency/rule.hpp"

#include "tests/sim/training/consistency/rule_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <random>

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

// The rule as first written, O(N) per release check: the reference the ordered
// bookkeeping must answer exactly like, decision for decision.
class reference_ssp {
public:
  reference_ssp(std::uint64_t bound, std::size_t workers, bool wait)
    : bound_(bound), wait_(wait), clocks_(workers, 0), waiting_(workers, false),
      live_(workers, true) {}

  decisions gradient(std::uint32_t w) {
    ++clocks_[w];
    waiting_[w] = true;
    decisions out;
    release(out);
    if (waiting_[w])
      out.emplace_back(std::in_place_type<hold_back>, hold_back{w});
    return out;
  }

  decisions repeat(std::uint32_t w) const {
    return waiting_[w] ? decisions{} : decisions{reply_to{w}};
  }

  decisions lost(std::uint32_t w) {
    if (!live_[w])
      return {};
    live_[w] = false;
    decisions out;
    release(out);
    return out;
  }

  decisions joined(std::uint32_t w) {
    live_[w] = true;
    return {reply_to{w}};
  }

  void restart() {
    std::fill(clocks_.begin(), clocks_.end(), 0);
    std::fill(waiting_.begin(), waiting_.end(), false);
  }

private:
  void release(decisions& out) {
    for (std::uint32_t w = 0; w < waiting_.size(); ++w) {
      auto slowest = clocks_[w];
      for (std::uint32_t u = 0; u < clocks_.size(); ++u)
        if (live_[u] || wait_)
          slowest = std::min(slowest, clocks_[u]);
      if (waiting_[w] && slowest + bound_ >= clocks_[w]) {
        waiting_[w] = false;
        out.emplace_back(std::in_place_type<reply_to>, reply_to{w});
      }
    }
  }

  std::uint64_t bound_;
  bool wait_;
  std::vector<std::uint64_t> clocks_;
  std::vector<bool> waiting_;
  std::vector<bool> live_;
};

// Drives the rule and the reference with the same `events` random events (pushes from
// any worker, repeats, losses, joins, rare restarts); returns how many decisions agreed
// before the first that did not.
std::size_t agreeing(std::int64_t bound, std::size_t workers, failure_policy on_failure,
                     std::uint32_t seed, std::size_t events) {
  auto rule = ssp_rule(bound, workers, on_failure);
  reference_ssp reference(static_cast<std::uint64_t>(bound), workers,
                          on_failure == failure_policy::wait);
  std::mt19937 gen(seed);
  std::uniform_int_distribution<std::uint32_t> pick(0, static_cast<std::uint32_t>(workers - 1));
  std::uniform_int_distribution<int> kind(0, 99);
  for (std::size_t i = 0; i < events; ++i) {
    auto w = pick(gen);
    auto k = kind(gen);
    decisions got;
    decisions want;
    if (k < 60) {
      got = rule->on_gradient(push(w, 0), 0);
      got.erase(got.begin()); // apply_gradient: not the bookkeeping under test
      want = reference.gradient(w);
    } else if (k < 75) {
      got = rule->on_repeat(push(w, 0), 0);
      want = reference.repeat(w);
    } else if (k < 87) {
      got = rule->on_worker_lost(w, 0);
      want = reference.lost(w);
    } else if (k < 99) {
      got = rule->on_worker_joined(w);
      want = reference.joined(w);
    } else {
      rule->on_server_restart();
      reference.restart();
    }
    if (got != want)
      return i;
  }
  return events;
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

TEST_CASE("the ordered bookkeeping answers as a scan of every worker would") {
  for (std::int64_t bound : {0, 1, 3})
    for (std::size_t workers : {1, 2, 5, 9})
      for (auto policy : {failure_policy::continue_live, failure_policy::wait}) {
        CAPTURE(bound);
        CAPTURE(workers);
        CHECK(agreeing(bound, workers, policy, 7, 3000) == 3000);
      }
}

}
