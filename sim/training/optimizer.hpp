// Optimizers (training.optimizer): how a server shard turns an update direction into a
// parameter step, with the state it keeps between updates (velocity, moments).
#pragma once

#include "sim/data/dataset.hpp"

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace psim::sim {

/// Which optimizer a server shard runs.
enum class optimizer_kind { sgd, momentum, nesterov, adam, rmsprop, adagrad };

/// The optimizer and its hyperparameters, as the scenario's [training] table gives them.
struct optimizer_settings {
  optimizer_kind kind = optimizer_kind::sgd; ///< training.optimizer (or its `kind`)
  double momentum = 0.9;  ///< momentum, nesterov: the factor mu
  double beta1 = 0.9;     ///< adam: decay of the first moment
  double beta2 = 0.999;   ///< adam: decay of the second moment
  double rho = 0.9;       ///< rmsprop: decay of the mean square
  double epsilon = 1e-8;  ///< adam, rmsprop, adagrad: added to the root in the divisor
};

/// One shard's optimizer: its state lives as long as the shard and is copied into
/// each checkpoint.
class optimizer {
public:
  virtual ~optimizer() = default;

  /// One update: `to` = `from` moved against `direction` at step size `rate`; `to` may
  /// be `from` (in place), else it is written without being read.
  void step_into(const Eigen::Ref<const vector>& from, Eigen::Ref<vector> to,
                 const Eigen::Ref<const vector>& direction, double rate) {
    begin_step();
    step_part(from, to, direction, rate, 0);
  }

  /// Begins an update taken a part at a time: then step_part once for each part.
  virtual void begin_step() {}

  /// The parameters [at, at + from.size()) of the update begun last, as step_into moves
  /// them (the same bits): every optimizer here is elementwise.
  virtual void step_part(const Eigen::Ref<const vector>& from, Eigen::Ref<vector> to,
                         const Eigen::Ref<const vector>& direction, double rate,
                         Eigen::Index at) = 0;

  /// True when a step is θ - η d and nothing more (plain SGD, no state): a model can
  /// then take it in the pass that writes d (model::descend_part).
  virtual bool plain() const { return false; }

  /// One update in place: moves `theta` against `direction` at step size `rate`.
  void step(vector& theta, const Eigen::Ref<const vector>& direction, double rate) {
    step_into(theta, theta, direction, rate);
  }

  /// A copy with the same state (a checkpoint of it).
  virtual std::unique_ptr<optimizer> clone() const = 0;
};

/// The name of `kind` as scenario files write it.
std::string_view to_string(optimizer_kind kind);

/// The optimizer called `name`, if there is one.
std::optional<optimizer_kind> optimizer_named(std::string_view name);

/// Every optimizer's name, in the order the reference lists them.
std::vector<std::string_view> optimizer_names();

/// A fresh optimizer (zero state) as `settings` ask, for a shard of `size` parameters.
std::unique_ptr<optimizer> make_optimizer(const optimizer_settings& settings, Eigen::Index size);

} // namespace psim::sim
