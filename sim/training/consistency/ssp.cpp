// ssp (stale synchronous parallel, DESIGN §3): as async, but each worker's clock counts
// its pushes, and a worker gets new parameters only while the slowest live worker is at
// most staleness_bound pushes behind it; otherwise it is held back until released.
#include "sim/training/consistency/modes.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

namespace psim::sim {

namespace {

/// Apply on arrival; answer every worker the bound lets go on. The clocks that count
/// for the slowest are kept as a count per clock value and the held-back workers ordered
/// by clock, so that a gradient costs O(log N) plus the workers it releases, not O(N²).
class ssp_rule final : public server_rule {
public:
  ssp_rule(const training_config& training, std::size_t workers)
    : server_rule(training, workers), clocks_(workers, 0), waiting_(workers, false),
      counted_(workers, true) {
    if (workers > 0)
      slowest_[0] = workers;
  }

  decisions on_gradient(const gradient_arrival& g, std::uint64_t version) override {
    decisions out{apply_or_discard(g, version)};
    tick(g.worker);
    release(out);
    if (waiting_[g.worker])
      out.push_back(hold_back{g.worker});
    return out;
  }

  // A held-back worker is answered when it is released, not before.
  decisions on_repeat(const gradient_arrival& g, std::uint64_t) const override {
    count_work();
    if (waiting_.at(g.worker))
      return {};
    return {reply_to{g.worker}};
  }

  // Sets every clock back to zero: O(N), once per restart, not per message.
  decisions on_server_restart() override {
    std::fill(clocks_.begin(), clocks_.end(), 0);
    std::fill(waiting_.begin(), waiting_.end(), false);
    held_.clear();
    slowest_.clear();
    auto counted = static_cast<std::size_t>(std::count(counted_.begin(), counted_.end(), true));
    if (counted > 0)
      slowest_[0] = counted;
    return server_rule::on_server_restart();
  }

private:
  // A lost worker no longer holds the others back (unless on_failure = wait).
  decisions after_worker_lost(std::uint32_t worker, std::uint64_t) override {
    if (!waits_for_lost() && counted_[worker]) {
      counted_[worker] = false;
      uncount(clocks_[worker]);
    }
    decisions out;
    release(out);
    return out;
  }

  // A joined worker holds the others back again; its clock can only lower the slowest,
  // so nobody is released.
  decisions after_worker_joined(std::uint32_t worker) override {
    if (!counted_[worker]) {
      counted_[worker] = true;
      count(clocks_[worker]);
    }
    return {reply_to{worker}};
  }

  bool waits_for_lost() const { return training().on_failure == failure_policy::wait; }

  // Counts one more push of `w` and holds it back (until release says otherwise).
  void tick(std::uint32_t w) {
    auto& clock = clocks_.at(w);
    if (waiting_[w]) {
      held_.erase({clock, w});
      count_work();
    }
    if (counted_[w]) {
      uncount(clock);
      count(clock + 1);
    }
    ++clock;
    waiting_[w] = true;
    held_.emplace(clock, w);
    count_work();
  }

  void count(std::uint64_t clock) {
    ++slowest_[clock];
    count_work();
  }

  void uncount(std::uint64_t clock) {
    auto at = slowest_.find(clock);
    if (--at->second == 0)
      slowest_.erase(at);
    count_work();
  }

  // Answers every held-back worker whose clock is at most staleness_bound ahead of the
  // slowest counted worker (all of them when none counts), in worker order.
  void release(decisions& out) {
    count_work();
    auto bound = static_cast<std::uint64_t>(training().staleness_bound);
    bool all = slowest_.empty();
    auto limit = all ? 0 : slowest_.begin()->first + bound;
    std::vector<std::uint32_t> released;
    while (!held_.empty() && (all || held_.begin()->first <= limit)) {
      auto w = held_.begin()->second;
      held_.erase(held_.begin());
      waiting_[w] = false;
      released.push_back(w);
      count_work();
    }
    std::sort(released.begin(), released.end());
    for (auto w : released)
      out.push_back(reply_to{w});
  }

  std::vector<std::uint64_t> clocks_; // per worker: pushes received
  std::vector<bool> waiting_;         // per worker: held back by the bound
  std::vector<bool> counted_;         // per worker: its clock counts for the slowest
  std::map<std::uint64_t, std::size_t> slowest_;      // clock -> counted workers at it
  std::set<std::pair<std::uint64_t, std::uint32_t>> held_; // held back: (clock, worker)
};

} // namespace

std::unique_ptr<server_rule> detail::make_ssp_rule(const training_config& training,
                                                   std::size_t workers) {
  return std::make_unique<ssp_rule>(training, workers);
}

} // namespace psim::sim
