// How good a parameter vector is: its train loss, and its test loss and accuracy where
// the data has test rows. What metrics.csv and summary.json report.
#pragma once

#include "sim/data/data.hpp"
#include "sim/model/model.hpp"

#include <optional>

namespace psim::sim {

/// The losses and accuracy of one parameter vector.
struct evaluation {
  double train_loss = 0;               ///< loss on every training row
  std::optional<double> test_loss;     ///< loss on the test rows; none without test rows
  std::optional<double> test_accuracy; ///< accuracy on the test rows, where `m` defines it
};

/// Evaluates `params` with `m` on all rows of `data` (takes no virtual time).
evaluation evaluate(const model& m, const prepared_data& data, const vector& params);

} // namespace psim::sim
