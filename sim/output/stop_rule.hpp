// When a run stops (run.stop, DESIGN §5): one pure rule, fed with the run's progress by
// the runtime's run_control. Conditions seen by the recorder (a new metrics row, an
// allreduce replica at its budget) and conditions seen from outside the actors (an
// interrupt, the wall clock, real time) are decided here and nowhere else.
#pragma once

#include "sim/output/stop_reason.hpp"
#include "sim/scenario/scenario.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace psim::sim {

/// A stop the rule decided: why, and a sentence where there is more to say.
struct stop_decision {
  stop_reason reason = stop_reason::updates; ///< summary.json's stopped_by
  std::string detail;                        ///< advice or explanation; may be empty
};

/// The divergence rule: a run diverges when its train loss `loss` is not finite, or
/// exceeds 1000 times `first_loss`, the train loss of its first metrics row (only
/// when that is positive: a run that starts at loss 0 cannot grow a thousandfold).
bool diverged(double loss, double first_loss);

/// Decides, from a run's progress, whether one of its stop conditions is met.
class stop_rule {
public:
  /// The rule of the conditions `stop`. `replicas` > 0 for allreduce: its `updates`
  /// condition holds when that many replicas halted at the budget, not by versions.
  stop_rule(const stop_config& stop, std::size_t replicas);

  /// After a metrics row of `version` with `train_loss`: diverged, else loss, else
  /// updates. The first row's loss becomes the divergence rule's reference.
  std::optional<stop_decision> after_row(std::uint64_t version, double train_loss);

  /// After one more allreduce replica halted: updates once every replica has.
  std::optional<stop_decision> after_halt();

  /// From outside the actors, after `wall_s` wall seconds: interrupted, else time
  /// (when `time_s`, the run's real time, is given), else wall. Under the virtual
  /// clock `time` is a horizon the driver does not cross (see time_limit).
  std::optional<stop_decision> outside(bool interrupted, double wall_s,
                                       std::optional<double> time_s) const;

  /// run.stop.time in seconds, if set.
  std::optional<double> time_limit() const { return stop_.time; }

private:
  stop_config stop_;
  std::size_t replicas_;
  std::size_t halted_ = 0;
  std::optional<double> first_loss_;
};

} // namespace psim::sim
