// Tests for sim/model/logistic_regression.cpp: the mean log-loss by hand, its exact gradient,
// both label conventions and the accuracy.
#include "sim/model/model.hpp"
#include "tests/sim/model/gradient_check.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace psim::sim;
using psim::test::check_gradient;
using psim::test::random_rows;
using psim::test::random_theta;

namespace {

model_config logistic(bool bias, double l2) {
  model_config config;
  config.kind = "logistic_regression";
  config.bias = bias;
  config.l2 = l2;
  return config;
}

/// The three rows the hand computations use, with labels 1, 0, 1.
dataset three_rows() {
  dataset data;
  data.x.resize(3, 2);
  data.x << 1, 2,
            0, 1,
            -1, 0.5;
  data.y.resize(3);
  data.y << 1, 0, 1;
  return data;
}

double softplus(double z) { return std::log1p(std::exp(z)); }

} // namespace

TEST_SUITE("sim.logistic_regression") {

TEST_CASE("the gradient matches central finite differences for every batch size") {
  const std::size_t features = 4;
  auto data = random_rows(60, features, 2, 3);
  for (bool bias : {true, false})
    for (double l2 : {0.0, 0.4})
      for (std::size_t rows : {1, 7, 60}) {
        INFO("bias ", bias, ", l2 ", l2, ", rows ", rows);
        auto m = make_model(logistic(bias, l2), features);
        REQUIRE(m->parameters() == features + (bias ? 1 : 0));
        vector mask = vector::Ones(static_cast<Eigen::Index>(m->parameters()));
        if (bias)
          mask[features] = 0;
        check_gradient(*m, random_theta(m->parameters(), rows), rows_of(data, 0, rows), l2,
                       mask);
      }
}

TEST_CASE("the loss is the mean log-loss computed by hand") {
  auto data = three_rows();
  vector theta(3);
  theta << 0.5, -1, 0.25; // w = (0.5, -1), bias 0.25
  // Margins: 0.5 - 2 + 0.25 = -1.25, -1 + 0.25 = -0.75, -0.5 - 0.5 + 0.25 = -0.75.
  // Log-loss: -log(sigmoid(z)) = softplus(-z) for label 1, softplus(z) for label 0.
  double expected = (softplus(1.25) + softplus(-0.75) + softplus(0.75)) / 3;
  auto m = make_model(logistic(true, 0.9), 2);
  CHECK(m->loss(theta, all_rows(data)) == doctest::Approx(expected).epsilon(1e-12));
  // At theta = 0 every prediction is 1/2: the loss is log 2 whatever the labels.
  CHECK(m->loss(vector::Zero(3), all_rows(data)) == doctest::Approx(std::log(2.0)));
  // Gradient by hand: (1/n) X^T (sigmoid(z) - t) + l2 w, bias (1/n) sum(sigmoid(z) - t).
  auto sigmoid = [](double z) { return 1 / (1 + std::exp(-z)); };
  double r0 = sigmoid(-1.25) - 1, r1 = sigmoid(-0.75), r2 = sigmoid(-0.75) - 1;
  vector grad(3);
  m->gradient(theta, all_rows(data), grad);
  CHECK(grad[0] == doctest::Approx((r0 * 1 + r1 * 0 + r2 * -1) / 3 + 0.9 * 0.5));
  CHECK(grad[1] == doctest::Approx((r0 * 2 + r1 * 1 + r2 * 0.5) / 3 + 0.9 * -1));
  CHECK(grad[2] == doctest::Approx((r0 + r1 + r2) / 3));
}

TEST_CASE("labels -1/+1 give the same loss, gradient and accuracy as 0/1") {
  auto zero_one = random_rows(30, 3, 2, 8);
  auto plus_minus = zero_one;
  plus_minus.y = 2 * zero_one.y.array() - 1;
  auto m = make_model(logistic(true, 0), 3);
  vector theta = random_theta(4, 2);
  CHECK(m->loss(theta, all_rows(zero_one)) == m->loss(theta, all_rows(plus_minus)));
  vector a(4), b(4);
  m->gradient(theta, all_rows(zero_one), a);
  m->gradient(theta, all_rows(plus_minus), b);
  CHECK(a == b);
  CHECK(m->accuracy(theta, all_rows(zero_one)) == m->accuracy(theta, all_rows(plus_minus)));
}

TEST_CASE("the loss stays finite for huge margins") {
  auto data = three_rows();
  vector theta(3);
  theta << 800, -800, 0;
  auto m = make_model(logistic(true, 0), 2);
  double loss = m->loss(theta, all_rows(data));
  CHECK(std::isfinite(loss));
  vector grad(3);
  m->gradient(theta, all_rows(data), grad);
  CHECK(grad.allFinite());
}

TEST_CASE("accuracy is the share of rows on the right side of the boundary") {
  auto data = three_rows();
  vector theta(3);
  theta << 1, 0, -0.5; // margins 0.5, -0.5, -1.5: right, right, wrong
  auto m = make_model(logistic(true, 0), 2);
  CHECK(m->accuracy(theta, all_rows(data)) == doctest::Approx(2.0 / 3));
  theta << -1, 0, 0.5; // margins -0.5, 0.5, 1.5: wrong, wrong, right
  CHECK(m->accuracy(theta, all_rows(data)) == doctest::Approx(1.0 / 3));
  theta << 0, 1, -1.5; // margins 0.5, -0.5, -1: right, right, wrong
  CHECK(m->accuracy(theta, all_rows(data)) == doctest::Approx(2.0 / 3));
  random_stream rng(1, "init");
  CHECK(m->initial_parameters(rng).isZero(0));
}

}
