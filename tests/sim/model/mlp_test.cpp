// Tests for sim/model/mlp.cpp: forward passes by hand, the exact gradient for both
// activations and both outputs, the layout, the initialisation and learning XOR.
#include "sim/model/model.hpp"
#include "tests/sim/model/gradient_check.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

using namespace psim::sim;
using psim::test::check_gradient;
using psim::test::random_rows;
using psim::test::random_theta;

namespace {

model_config mlp(std::vector<std::size_t> hidden, std::string activation, std::size_t classes,
                 bool bias = true, double l2 = 0) {
  model_config config;
  config.kind = "mlp";
  config.hidden = std::move(hidden);
  config.activation = std::move(activation);
  config.classes = classes;
  config.bias = bias;
  config.l2 = l2;
  return config;
}

/// 1 on the weights of `sizes` (input first), 0 on the biases.
vector weight_mask(const std::vector<Eigen::Index>& sizes, bool bias) {
  std::vector<double> mask;
  for (std::size_t l = 1; l < sizes.size(); ++l) {
    mask.insert(mask.end(), static_cast<std::size_t>(sizes[l] * sizes[l - 1]), 1.0);
    if (bias)
      mask.insert(mask.end(), static_cast<std::size_t>(sizes[l]), 0.0);
  }
  return Eigen::Map<vector>(mask.data(), static_cast<Eigen::Index>(mask.size()));
}

} // namespace

TEST_SUITE("sim.mlp") {

TEST_CASE("the gradient matches central finite differences") {
  const std::size_t features = 4;
  for (std::string activation : {"relu", "tanh"})
    for (std::size_t classes : {0, 3})
      for (bool bias : {true, false})
        for (double l2 : {0.0, 0.3}) {
          auto data = random_rows(30, features, classes, 5);
          for (std::size_t rows : {1, 6, 30}) {
            INFO(activation, ", classes ", classes, ", bias ", bias, ", l2 ", l2, ", rows ", rows);
            auto m = make_model(mlp({5, 3}, activation, classes, bias, l2), features);
            auto out = static_cast<Eigen::Index>(classes > 0 ? classes : 1);
            auto mask = weight_mask({4, 5, 3, out}, bias);
            REQUIRE(m->parameters() == static_cast<std::size_t>(mask.size()));
            check_gradient(*m, random_theta(m->parameters(), rows, 0.7), rows_of(data, 0, rows),
                           l2, mask);
          }
        }
}

TEST_CASE("a regression mlp's loss is the mean squared error computed by hand") {
  dataset data;
  data.x.resize(2, 1);
  data.x << 1, -2;
  data.y.resize(2);
  data.y << 3, 0;
  vector theta(4);
  theta << 2, 0.5,  // hidden unit: weight, bias
           1.5, -1; // output: weight, bias
  // Hidden relu(2x + 0.5) = 2.5 and 0; outputs 2.75 and -1.
  auto m = make_model(mlp({1}, "relu", 0), 1);
  CHECK(m->loss(theta, all_rows(data)) == doctest::Approx((0.25 * 0.25 + 1.0) / 2));
  CHECK(m->accuracy(theta, all_rows(data)) < 0);
}

TEST_CASE("a classifying mlp's loss is the cross-entropy of its softmax output") {
  dataset data;
  data.x.resize(2, 1);
  data.x << 0.5, -1;
  data.y.resize(2);
  data.y << 1, 0;
  vector theta(6);
  theta << 1.5, -0.25, // hidden unit: weight, bias
           2, -1,      // output weights of classes 0 and 1
           0.1, 0.2;   // output biases
  auto logits = [&](double x) {
    double h = std::tanh(1.5 * x - 0.25);
    return std::pair{2 * h + 0.1, -h + 0.2};
  };
  auto [a0, a1] = logits(0.5);
  auto [b0, b1] = logits(-1);
  double first = std::log(std::exp(a0) + std::exp(a1)) - a1;
  double second = std::log(std::exp(b0) + std::exp(b1)) - b0;
  auto m = make_model(mlp({1}, "tanh", 2), 1);
  CHECK(m->loss(theta, all_rows(data)) == doctest::Approx((first + second) / 2).epsilon(1e-12));
  double right = (a1 > a0 ? 1 : 0) + (b0 > b1 ? 1 : 0);
  CHECK(m->accuracy(theta, all_rows(data)) == doctest::Approx(right / 2));
}

TEST_CASE("the parameters are counted layer by layer, weights then biases") {
  CHECK(make_model(mlp({64}, "relu", 10), 784)->parameters() == 784 * 64 + 64 + 64 * 10 + 10);
  CHECK(make_model(mlp({8, 4}, "tanh", 0), 3)->parameters() == 3 * 8 + 8 + 8 * 4 + 4 + 4 + 1);
  CHECK(make_model(mlp({8, 4}, "tanh", 0, false), 3)->parameters() == 3 * 8 + 8 * 4 + 4);
}

TEST_CASE("initial weights are scaled Glorot draws of the stream and biases are zero") {
  auto m = make_model(mlp({6}, "relu", 3), 10);
  random_stream rng(7, "init");
  vector theta = m->initial_parameters(rng);
  REQUIRE(theta.size() == 10 * 6 + 6 + 6 * 3 + 3);
  auto first = theta.head(60);
  auto second = theta.segment(66, 18);
  CHECK(first.cwiseAbs().maxCoeff() <= std::sqrt(6.0 / 16));
  CHECK(second.cwiseAbs().maxCoeff() <= std::sqrt(6.0 / 9));
  CHECK(first.cwiseAbs().mean() > 0.2); // uniform on +-0.61: mean magnitude ~0.31
  CHECK(theta.segment(60, 6).isZero(0));
  CHECK(theta.tail(3).isZero(0));
  random_stream same(7, "init");
  random_stream other(8, "init");
  CHECK(m->initial_parameters(same) == theta);
  CHECK(m->initial_parameters(other) != theta);
}

TEST_CASE("an mlp learns XOR, which no linear model can") {
  dataset data;
  data.x.resize(4, 2);
  data.x << 0, 0,
            0, 1,
            1, 0,
            1, 1;
  data.y.resize(4);
  data.y << 0, 1, 1, 0;
  auto m = make_model(mlp({8}, "tanh", 2), 2);
  random_stream rng(3, "init");
  vector theta = m->initial_parameters(rng);
  vector grad(theta.size());
  for (int step = 0; step < 2000; ++step) {
    m->gradient(theta, all_rows(data), grad);
    theta -= 0.5 * grad;
  }
  CHECK(m->accuracy(theta, all_rows(data)) == 1.0);
  CHECK(m->loss(theta, all_rows(data)) < 0.05);
}

TEST_CASE("configurations an mlp cannot take are refused") {
  CHECK_THROWS_AS(make_model(mlp({}, "relu", 2), 3), std::invalid_argument);
  CHECK_THROWS_AS(make_model(mlp({4, 0}, "relu", 2), 3), std::invalid_argument);
  CHECK_THROWS_AS(make_model(mlp({4}, "sigmoid", 2), 3), std::invalid_argument);
  CHECK_THROWS_AS(make_model(mlp({4}, "relu", 1), 3), std::invalid_argument);
}

}
