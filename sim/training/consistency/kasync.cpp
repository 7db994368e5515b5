// kasync (DESIGN §3): the server takes any K gradients, whatever their versions, each
// each scaled by its staleness factor and weighted by its samples, applies their average
// and answers those K workers; the others keep computing.
#include "sim/training/consistency/modes.hpp"
#include "sim/training/consistency/round.hpp"

namespace psim::sim {

namespace {

/// Rounds of any K gradients, answered to their senders only.
class kasync_rule final : public server_rule {
public:
  kasync_rule(const training_config& training, std::size_t workers)
    : server_rule(training, workers), round_(workers) {}

  decisions on_gradient(const gradient_arrival& g, std::uint64_t version) override {
    auto tau = version - g.version;
    // Each gradient is scaled by its own staleness factor before the round's average.
    round_.add(g);
    decisions out{take_into_round{static_cast<double>(g.samples), staleness_weight(tau)}};
    if (round_.size() >= quorum(training().k)) {
      auto closing = finish(version);
      out.insert(out.end(), closing.begin(), closing.end());
    }
    return out;
  }

  // A worker of the round under way is answered when the round is applied.
  decisions on_repeat(const gradient_arrival& g, std::uint64_t) const override {
    if (round_.has(g.worker))
      return {};
    return {reply_to{g.worker}};
  }

  void on_server_crash() override { round_.clear(); }

  std::size_t round_size() const override { return round_.size(); }

  std::uint64_t work() const override { return server_rule::work() + round_.touched(); }

private:
  decisions after_worker_lost(std::uint32_t, std::uint64_t version) override {
    if (round_.size() > 0 && round_.size() >= quorum(training().k))
      return finish(version);
    return {};
  }

  // Applies the round and answers its members, in arrival order.
  decisions finish(std::uint64_t version) {
    auto applied = round_.close(update_rate(version), version);
    decisions out;
    for (const auto& m : applied.members)
      out.push_back(reply_to{m.worker});
    out.insert(out.begin(), std::move(applied));
    return out;
  }

  round_members round_;
};

} // namespace

std::unique_ptr<server_rule> detail::make_kasync_rule(const training_config& training,
                                                      std::size_t workers) {
  return std::make_unique<kasync_rule>(training, workers);
}

} // namespace psim::sim
