// Test support: full-batch gradient descent on a scenario's training rows, computed
// directly with the model, as the reference the actors must reproduce.
#pragma once

#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/scenario/scenario.hpp"

#include <cmath>
#include <string>
#include <vector>

namespace psim::test {

/// θ after `steps` steps θ -= lr · momentum-free full gradient from θ = 0, on the
/// training rows `toml` (with `overrides`) prepares.
inline std::vector<double> full_batch_descent(const std::string& toml,
                                              const std::vector<std::string>& overrides,
                                              int steps, double lr) {
  auto scn = sim::parse_scenario(toml, "reference.toml", overrides);
  auto data = sim::prepare_data(scn.data, scn.seed, scn.cluster.workers);
  auto model = sim::make_model(scn.model, data.train.features());
  sim::vector theta = sim::vector::Zero(static_cast<Eigen::Index>(model->parameters()));
  sim::vector grad = theta;
  for (int i = 0; i < steps; ++i) {
    model->gradient(theta, sim::all_rows(data.train), grad);
    theta -= lr * grad;
  }
  return {theta.data(), theta.data() + theta.size()};
}

/// True when `x` and `y` agree to `relative` in every element.
inline bool close_to(const std::vector<double>& x, const std::vector<double>& y,
                     double relative = 1e-12) {
  if (x.size() != y.size())
    return false;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::abs(x[i] - y[i]) > relative * std::max(std::abs(y[i]), 1e-300))
      return false;
  return true;
}

} // namespace psim::test
