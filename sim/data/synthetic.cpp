// Synthetic data sets drawn from the "data" random stream: linear targets, logistic
// labels and Gaussian blobs.
#include "sim/data/data.hpp"

#include <fmt/format.h>

#include <cmath>

namespace psim::sim {

namespace {

/// The true weights: the configured ones, or N(0,1) draws; they fix the feature count.
vector true_weights(const data_config& config, random_stream& rng) {
  std::size_t features = config.weights.empty() ? config.features : config.weights.size();
  vector weights(static_cast<Eigen::Index>(features));
  for (Eigen::Index j = 0; j < weights.size(); ++j)
    weights[j] = config.weights.empty() ? rng.normal()
                                        : config.weights[static_cast<std::size_t>(j)];
  return weights;
}

/// An empty data set of `rows` x `features` with names x0, x1, ...
dataset shaped(std::size_t rows, Eigen::Index features) {
  dataset data;
  data.x.resize(static_cast<Eigen::Index>(rows), features);
  data.y.resize(static_cast<Eigen::Index>(rows));
  for (Eigen::Index j = 0; j < features; ++j)
    data.feature_names.push_back(fmt::format("x{}", j));
  return data;
}

} // namespace

dataset make_linear(const data_config& config, std::uint64_t seed) {
  random_stream rng(seed, "data");
  vector weights = true_weights(config, rng);
  dataset data = shaped(config.samples, weights.size());
  for (Eigen::Index i = 0; i < data.x.rows(); ++i) {
    for (Eigen::Index j = 0; j < data.x.cols(); ++j)
      data.x(i, j) = rng.uniform();
    data.y[i] = data.x.row(i).dot(weights) + config.bias + config.noise * rng.normal();
  }
  return data;
}

dataset make_logistic(const data_config& config, std::uint64_t seed) {
  random_stream rng(seed, "data");
  vector weights = true_weights(config, rng);
  dataset data = shaped(config.samples, weights.size());
  for (Eigen::Index i = 0; i < data.x.rows(); ++i) {
    for (Eigen::Index j = 0; j < data.x.cols(); ++j)
      data.x(i, j) = rng.normal();
    double margin = data.x.row(i).dot(weights) + config.bias;
    data.y[i] = rng.uniform() < 1 / (1 + std::exp(-margin)) ? 1 : 0;
  }
  return data;
}

dataset make_blobs(const data_config& config, std::uint64_t seed) {
  random_stream rng(seed, "data");
  auto features = static_cast<Eigen::Index>(config.features);
  auto centers = static_cast<Eigen::Index>(config.centers);
  matrix centre(centers, features);
  for (Eigen::Index k = 0; k < centers; ++k)
    for (Eigen::Index j = 0; j < features; ++j)
      centre(k, j) = rng.normal();
  dataset data = shaped(config.samples, features);
  for (Eigen::Index i = 0; i < data.x.rows(); ++i) {
    Eigen::Index k = i % centers;
    for (Eigen::Index j = 0; j < features; ++j)
      data.x(i, j) = centre(k, j) + config.noise * rng.normal();
    data.y[i] = static_cast<double>(k);
  }
  return data;
}

} // namespace psim::sim
