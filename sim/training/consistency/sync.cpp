// sync (BSP, DESIGN §3): a round waits for one gradient on θ_r from every live worker,
// applies their samples-weighted average at the scheduled rate and broadcasts θ_{r+1}.
#include "sim/training/consistency/modes.hpp"
#include "sim/training/consistency/round.hpp"

namespace psim::sim {

namespace {

/// One gradient per worker; the round is complete when every live worker sent one.
class sync_rule final : public round_rule {
public:
  using round_rule::round_rule;

private:
  std::size_t wanted() const override { return workers(); }
  double round_rate(std::uint64_t version) const override { return update_rate(version); }
};

} // namespace

std::unique_ptr<server_rule> detail::make_sync_rule(const training_config& training,
                                                    std::size_t workers,
                                                    const round_sampling& sampling) {
  return std::make_unique<sync_rule>(training, workers, sampling);
}

} // namespace psim::sim
