// What a server expands gradients in residual form with (gradient_msg::residual_form):
// the run's model and training rows, made when the first such gradient comes; in one
// process the data set is the workers' own, shared (sim::shared_data).
#pragma once

#include "actors/messages.hpp"
#include "sim/data/data.hpp"
#include "sim/model/residual_gradient.hpp"
#include "sim/scenario/scenario.hpp"

#include <memory>

namespace psim::actors {

/// The model and the training set of a run, for the gradients that come as residuals.
class residual_source {
public:
  /// Nothing to expand with (a server not set up yet).
  residual_source() = default;

  /// Expands the gradients of `scenario`'s run.
  explicit residual_source(std::shared_ptr<const sim::scenario> scenario);

  /// `factor` times the gradient `g` carries; throws std::invalid_argument when its row,
  /// its size or its residual does not fit the run's data and model.
  sim::residual_gradient gradient_of(const gradient_msg& g, double factor);

private:
  std::shared_ptr<const sim::scenario> scenario_;
  std::shared_ptr<const sim::prepared_data> data_; // made at the first gradient
  std::unique_ptr<sim::model> model_;              // made at the first gradient
};

} // namespace psim::actors
