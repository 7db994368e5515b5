// The statistics of one SGD step under each sampling: over many seeds, the variance of
// the first mini-batch gradient matches the closed form of simple random sampling
// without replacement (reshuffle: finite-population correction (N-n)/(N-1) sigma^2/n)
// and with replacement (sigma^2/n), within 4 standard errors of the estimate.
#include "sim/model/model.hpp"
#include "sim/training/sampling/minibatches.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

using namespace psim::sim;

namespace {

constexpr std::size_t population = 20; // N rows in the shard
constexpr std::size_t batch_size = 5;  // n rows per batch
constexpr std::size_t seeds = 20000;   // independent runs of one step
constexpr double rate = 0.1;           // learning rate of the step

/// A 1-feature regression set whose per-row gradients differ widely.
dataset regression_rows() {
  dataset data;
  data.x.resize(static_cast<Eigen::Index>(population), 1);
  data.y.resize(static_cast<Eigen::Index>(population));
  for (Eigen::Index i = 0; i < data.x.rows(); ++i) {
    data.x(i, 0) = static_cast<double>(i) / population;
    data.y(i) = std::sin(3.0 * static_cast<double>(i)) + 2.0 * data.x(i, 0);
  }
  return data;
}

/// Mean, variance (1/S) and fourth central moment of `xs`.
struct moments {
  double mean = 0, variance = 0, fourth = 0;
};

moments moments_of(const std::vector<double>& xs) {
  moments m;
  for (double x : xs)
    m.mean += x / static_cast<double>(xs.size());
  for (double x : xs) {
    double d = (x - m.mean) * (x - m.mean);
    m.variance += d / static_cast<double>(xs.size());
    m.fourth += d * d / static_cast<double>(xs.size());
  }
  return m;
}

/// The weight after one SGD step from theta0 under `kind`, for every seed.
std::vector<double> first_steps(sampling_kind kind, const dataset& data, const model& m,
                                const vector& theta0) {
  std::vector<double> steps;
  vector grad(theta0.size());
  for (std::size_t seed = 0; seed < seeds; ++seed) {
    minibatches batches{kind, shard{0, population}, batch_size,
                        random_stream{seed, "batches/worker-0"}};
    m.gradient(theta0, batches.next(data), grad);
    steps.push_back(theta0(0) - rate * grad(0));
  }
  return steps;
}

/// sigma^2 of the step: the population variance of the one-row steps, computed row by row.
double row_variance(const dataset& data, const model& m, const vector& theta0) {
  std::vector<double> rows;
  vector grad(theta0.size());
  for (std::size_t i = 0; i < population; ++i) {
    m.gradient(theta0, rows_of(data, i, 1), grad);
    rows.push_back(theta0(0) - rate * grad(0));
  }
  return moments_of(rows).variance;
}

/// |estimate - expected| in standard errors of the variance estimate.
double standard_errors(const moments& m, double expected) {
  double error = std::sqrt((m.fourth - m.variance * m.variance) / static_cast<double>(seeds));
  return std::abs(m.variance - expected) / error;
}

} // namespace

TEST_SUITE("sim.sampling_statistics") {

TEST_CASE("one step's variance matches without-replacement and with-replacement sampling") {
  auto data = regression_rows();
  model_config config;
  auto m = make_model(config, 1);
  vector theta0(2);
  theta0 << 0.3, -0.2;
  double sigma2 = row_variance(data, *m, theta0);
  double n = batch_size, big_n = population;
  double without = (big_n - n) / (big_n - 1) * sigma2 / n;
  double with = sigma2 / n;
  auto reshuffled = moments_of(first_steps(sampling_kind::reshuffle, data, *m, theta0));
  auto replaced = moments_of(first_steps(sampling_kind::replacement, data, *m, theta0));
  MESSAGE("sigma^2/n = ", with, ", with correction = ", without, "; reshuffle ",
       reshuffled.variance, ", replacement ", replaced.variance);
  CHECK(standard_errors(reshuffled, without) < 4);
  CHECK(standard_errors(replaced, with) < 4);
  // The test can tell the two apart: each is far from the other's closed form.
  CHECK(standard_errors(reshuffled, with) > 8);
  CHECK(standard_errors(replaced, without) > 8);
}

}
