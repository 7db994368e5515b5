// Optimizers: how a server shard turns an update direction into a parameter step,
// with the state it keeps between updates (e.g. momentum's velocity).
#pragma once

#include "sim/data/dataset.hpp"

#include <memory>
#include <string_view>

namespace psim::sim {

/// Which optimizer a server shard runs.
enum class optimizer_kind { sgd, momentum };

/// What the optimizers read from the scenario's [training] table.
struct optimizer_settings {
  double momentum = 0; ///< training.momentum; 0 = plain SGD
};

/// One shard's optimizer: its state lives as long as the shard.
class optimizer {
public:
  virtual ~optimizer() = default;

  /// One update: moves `theta` against `direction` at step size `rate`.
  virtual void step(vector& theta, const Eigen::Ref<const vector>& direction, double rate) = 0;

  /// Forgets the state, as a server crash does.
  virtual void reset() = 0;
};

/// The optimizer the settings ask for: momentum when training.momentum > 0, else sgd.
optimizer_kind optimizer_of(const optimizer_settings& settings);

/// The name of `kind` (for messages).
std::string_view to_string(optimizer_kind kind);

/// A fresh optimizer of `kind` for a shard of `size` parameters.
std::unique_ptr<optimizer> make_optimizer(optimizer_kind kind, const optimizer_settings& settings,
                                          Eigen::Index size);

} // namespace psim::sim
