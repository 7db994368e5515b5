// ksync (K of N, backup workers, DESIGN §3): a round applies the first K gradients on θ_r
// and broadcasts; a gradient for an older version is discarded.
#include "sim/training/consistency/modes.hpp"
#include "sim/training/consistency/round.hpp"

namespace psim::sim {

namespace {

/// One gradient per worker; the round is complete at K of them.
class ksync_rule final : public round_rule {
public:
  using round_rule::round_rule;

private:
  std::size_t wanted() const override { return training().k; }
  double round_rate(std::uint64_t version) const override { return update_rate(version); }
};

} // namespace

std::unique_ptr<server_rule> detail::make_ksync_rule(const training_config& training,
                                                     std::size_t workers,
                                                     const round_sampling& sampling) {
  return std::make_unique<ksync_rule>(training, workers, sampling);
}

} // namespace psim::sim
