// Test support for the model tests: random rows and parameters, a bitwise comparison,
// and a check of a model's gradient against central finite differences of its
// penalised loss.
#pragma once

#include "sim/model/model.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace psim::test {

/// `rows` x `features` standard normal features; labels are class indices drawn
/// uniformly from 0..classes-1, or N(0, 9) targets when `classes` is 0.
inline sim::dataset random_rows(std::size_t rows, std::size_t features, std::size_t classes,
                                std::uint64_t seed) {
  sim::random_stream rng(seed, "model-test");
  sim::dataset data;
  data.x.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(features));
  data.y.resize(static_cast<Eigen::Index>(rows));
  for (Eigen::Index i = 0; i < data.x.rows(); ++i) {
    for (Eigen::Index j = 0; j < data.x.cols(); ++j)
      data.x(i, j) = rng.normal();
    data.y[i] = classes > 0 ? static_cast<double>(rng.below(classes)) : 3 * rng.normal();
  }
  return data;
}

/// `size` standard normal draws scaled by `scale`.
inline sim::vector random_theta(std::size_t size, std::uint64_t seed, double scale = 1.0) {
  sim::random_stream rng(seed, "theta");
  sim::vector theta(static_cast<Eigen::Index>(size));
  for (Eigen::Index i = 0; i < theta.size(); ++i)
    theta[i] = scale * rng.normal();
  return theta;
}

/// True when `a` and `b` hold the same doubles bit for bit (signs of zeros too).
inline bool same_bits(const sim::vector& a, const sim::vector& b) {
  return a.size() == b.size()
         && std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0;
}

/// Checks m's gradient at `theta` on `b` against central differences of
/// loss + (l2/2) |theta .* weight_mask|^2 (the mask is 1 on weights, 0 on biases).
inline void check_gradient(const sim::model& m, const sim::vector& theta, const sim::batch& b,
                           double l2, const sim::vector& weight_mask) {
  auto objective = [&](const sim::vector& t) {
    return m.loss(t, b) + 0.5 * l2 * t.cwiseProduct(weight_mask).squaredNorm();
  };
  sim::vector grad(theta.size());
  m.gradient(theta, b, grad);
  const double h = 1e-5;
  for (Eigen::Index i = 0; i < theta.size(); ++i) {
    sim::vector up = theta;
    sim::vector down = theta;
    up[i] += h;
    down[i] -= h;
    double numeric = (objective(up) - objective(down)) / (2 * h);
    INFO("parameter ", i, ": analytic ", grad[i], ", numeric ", numeric);
    CHECK(std::abs(grad[i] - numeric) <= 1e-6 * std::max(1.0, std::abs(numeric)));
  }
}

} // namespace psim::test
