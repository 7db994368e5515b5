// The stop rule: run.stop's conditions and the divergence rule.
#include "sim/output/stop_rule.hpp"

#include <cmath>

namespace psim::sim {

bool diverged(double loss, double first_loss) {
  return !std::isfinite(loss) || (first_loss > 0 && loss > 1000 * first_loss);
}

stop_rule::stop_rule(const stop_config& stop, std::size_t replicas)
  : stop_(stop), replicas_(replicas) {
}

std::optional<stop_decision> stop_rule::after_row(std::uint64_t version, double train_loss) {
  if (!first_loss_)
    first_loss_ = train_loss;
  if (diverged(train_loss, *first_loss_))
    return stop_decision{stop_reason::diverged,
                         "the train loss is not finite or grew a thousandfold; try a "
                         "smaller learning_rate"};
  if (stop_.loss && train_loss <= *stop_.loss)
    return stop_decision{stop_reason::loss, {}};
  if (stop_.updates && version >= *stop_.updates && replicas_ == 0)
    return stop_decision{stop_reason::updates, {}};
  return std::nullopt;
}

std::optional<stop_decision> stop_rule::after_halt() {
  if (++halted_ == replicas_)
    return stop_decision{stop_reason::updates, {}};
  return std::nullopt;
}

std::optional<stop_decision> stop_rule::outside(bool interrupted, double wall_s,
                                                std::optional<double> time_s) const {
  if (interrupted)
    return stop_decision{stop_reason::interrupted, {}};
  if (stop_.time && time_s && *time_s >= *stop_.time)
    return stop_decision{stop_reason::time, {}};
  if (stop_.wall && wall_s >= *stop_.wall)
    return stop_decision{stop_reason::wall, {}};
  return std::nullopt;
}

} // namespace psim::sim
