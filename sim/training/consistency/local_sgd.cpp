// local_sgd (DESIGN §3): each worker pushes the model delta of H local steps; a round
// averages the deltas of every live worker and applies them at rate 1 (the deltas
// already include the learning rate), then broadcasts.
#include "sim/training/consistency/modes.hpp"
#include "sim/training/consistency/round.hpp"

namespace psim::sim {

namespace {

/// One delta per worker, every live worker's, applied as it is.
class local_sgd_rule final : public round_rule {
public:
  using round_rule::round_rule;

private:
  std::size_t wanted() const override { return workers(); }
  double round_rate(std::uint64_t version) const override { return update_rate(version); }
};

} // namespace

std::unique_ptr<server_rule> detail::make_local_sgd_rule(const training_config& training,
                                                         std::size_t workers,
                                                         const round_sampling& sampling) {
  return std::make_unique<local_sgd_rule>(training, workers, sampling);
}

} // namespace psim::sim
