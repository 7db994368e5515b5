// ssp (stale synchronous parallel, DESIGN §3): as async, but each worker's clock counts
// its pushes, and a worker gets new parameters only while the slowest live worker is at
// most staleness_bound pushes behind it; otherwise it is held back until released.
#include "sim/training/consistency/modes.hpp"

#include <algorithm>

namespace psim::sim {

namespace {

/// Apply on arrival; answer every worker the bound lets go on.
class ssp_rule final : public server_rule {
public:
  ssp_rule(const training_config& training, std::size_t workers)
    : server_rule(training, workers), clocks_(workers, 0), waiting_(workers, false) {}

  decisions on_gradient(const gradient_arrival& g, std::uint64_t version) override {
    ++clocks_.at(g.worker);
    decisions out{apply_or_discard(g, version)};
    waiting_[g.worker] = true;
    release(out);
    if (waiting_[g.worker])
      out.push_back(hold_back{g.worker});
    return out;
  }

  // A held-back worker is answered when it is released, not before.
  decisions on_repeat(const gradient_arrival& g, std::uint64_t) const override {
    if (waiting_.at(g.worker))
      return {};
    return {reply_to{g.worker}};
  }

  decisions on_server_restart() override {
    std::fill(clocks_.begin(), clocks_.end(), 0);
    std::fill(waiting_.begin(), waiting_.end(), false);
    return server_rule::on_server_restart();
  }

private:
  // A lost worker no longer holds the others back (unless on_failure = wait).
  decisions after_worker_lost(std::uint64_t) override {
    decisions out;
    release(out);
    return out;
  }

  // True when worker `w` may start its next iteration: the slowest live worker is at
  // most `staleness_bound` iterations behind it.
  bool may_go_on(std::uint32_t w) const {
    auto slowest = clocks_[w];
    bool wait = training().on_failure == failure_policy::wait;
    for (std::uint32_t u = 0; u < clocks_.size(); ++u)
      if (live(u) || wait)
        slowest = std::min(slowest, clocks_[u]);
    auto bound = static_cast<std::uint64_t>(training().staleness_bound);
    return slowest + bound >= clocks_[w];
  }

  // Answers every held-back worker the bound now lets go on, in worker order.
  void release(decisions& out) {
    for (std::uint32_t w = 0; w < waiting_.size(); ++w)
      if (waiting_[w] && may_go_on(w)) {
        waiting_[w] = false;
        out.push_back(reply_to{w});
      }
  }

  std::vector<std::uint64_t> clocks_; // per worker: pushes received
  std::vector<bool> waiting_;         // per worker: held back by the bound
};

} // namespace

std::unique_ptr<server_rule> detail::make_ssp_rule(const training_config& training,
                                                   std::size_t workers) {
  return std::make_unique<ssp_rule>(training, workers);
}

} // namespace psim::sim
