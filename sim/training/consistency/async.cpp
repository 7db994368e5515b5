// async (ASP, DESIGN §3): each gradient is applied on arrival, scaled by its staleness
// weighting's factor (or discarded when staler than drop_stale), and its worker gets θ.
#include "sim/training/consistency/modes.hpp"

namespace psim::sim {

namespace {

/// Apply, answer the sender; nothing waits, so a lost worker changes nothing.
class async_rule final : public server_rule {
public:
  using server_rule::server_rule;

  decisions on_gradient(const gradient_arrival& g, std::uint64_t version) override {
    return {apply_or_discard(g, version), reply_to{g.worker}};
  }

  // The answer to the first arrival may have been lost: answer again.
  decisions on_repeat(const gradient_arrival& g, std::uint64_t) const override {
    return {reply_to{g.worker}};
  }

private:
  decisions after_worker_lost(std::uint32_t, std::uint64_t) override { return {}; }
};

} // namespace

std::unique_ptr<server_rule> detail::make_async_rule(const training_config& training,
                                                     std::size_t workers) {
  return std::make_unique<async_rule>(training, workers);
}

} // namespace psim::sim
