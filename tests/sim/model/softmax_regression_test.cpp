// Tests for sim/model/softmax_regression.cpp: the mean cross-entropy by hand, its exact
// gradient, the parameter layout, the accuracy and bad labels.
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

model_config softmax(std::size_t classes, bool bias = true, double l2 = 0) {
  model_config config;
  config.kind = "softmax_regression";
  config.classes = classes;
  config.bias = bias;
  config.l2 = l2;
  return config;
}

/// Two rows with one feature: x = 2 (class 0) and x = -1 (class 2).
dataset two_rows() {
  dataset data;
  data.x.resize(2, 1);
  data.x << 2, -1;
  data.y.resize(2);
  data.y << 0, 2;
  return data;
}

} // namespace

TEST_SUITE("sim.softmax_regression") {

TEST_CASE("the gradient matches central finite differences for every batch size") {
  const std::size_t features = 4;
  const std::size_t classes = 3;
  auto data = random_rows(40, features, classes, 11);
  for (bool bias : {true, false})
    for (double l2 : {0.0, 0.25})
      for (std::size_t rows : {1, 5, 40}) {
        INFO("bias ", bias, ", l2 ", l2, ", rows ", rows);
        auto m = make_model(softmax(classes, bias, l2), features);
        REQUIRE(m->parameters() == classes * features + (bias ? classes : 0));
        vector mask = vector::Zero(static_cast<Eigen::Index>(m->parameters()));
        mask.head(classes * features).setOnes();
        check_gradient(*m, random_theta(m->parameters(), rows), rows_of(data, 0, rows), l2,
                       mask);
      }
}

TEST_CASE("the loss is the mean cross-entropy computed by hand") {
  auto data = two_rows();
  vector theta(6);
  theta << 1, 0, -1,  // class weights (one feature each)
           0, 0.5, 0; // class biases
  // Logits (2, 0.5, -2) for class 0 and (-1, 0.5, 1) for class 2.
  double first = std::log(std::exp(2) + std::exp(0.5) + std::exp(-2)) - 2;
  double second = std::log(std::exp(-1) + std::exp(0.5) + std::exp(1)) - 1;
  auto m = make_model(softmax(3), 1);
  CHECK(m->loss(theta, all_rows(data)) == doctest::Approx((first + second) / 2).epsilon(1e-12));
  CHECK(m->loss(vector::Zero(6), all_rows(data)) == doctest::Approx(std::log(3.0)));
  // The bias gradient is the mean of P - onehot(label) over the rows.
  auto p = [](double a, double b, double c, int k) {
    double e[3] = {std::exp(a), std::exp(b), std::exp(c)};
    return e[k] / (e[0] + e[1] + e[2]);
  };
  vector grad(6);
  m->gradient(theta, all_rows(data), grad);
  CHECK(grad[3] == doctest::Approx((p(2, 0.5, -2, 0) - 1 + p(-1, 0.5, 1, 0)) / 2));
  CHECK(grad[4] == doctest::Approx((p(2, 0.5, -2, 1) + p(-1, 0.5, 1, 1)) / 2));
  CHECK(grad[5] == doctest::Approx((p(2, 0.5, -2, 2) + p(-1, 0.5, 1, 2) - 1) / 2));
  // The weight gradient weighs the same residuals by x.
  CHECK(grad[0] == doctest::Approx((2 * (p(2, 0.5, -2, 0) - 1) - p(-1, 0.5, 1, 0)) / 2));
}

TEST_CASE("the weights are laid out class by class, then the biases") {
  dataset data;
  data.x.resize(2, 2);
  data.x << 1, 0,
            0, 1;
  data.y.resize(2);
  data.y << 1, 2;
  auto m = make_model(softmax(3), 2);
  vector theta = vector::Zero(9);
  REQUIRE(m->parameters() == 9);
  theta[1 * 2 + 0] = 5; // class 1, feature 0
  theta[2 * 2 + 1] = 5; // class 2, feature 1
  CHECK(m->accuracy(theta, all_rows(data)) == 1.0);
  theta.setZero();
  theta[6 + 2] = 1; // class 2's bias: everything is class 2
  CHECK(m->accuracy(theta, all_rows(data)) == 0.5);
}

TEST_CASE("accuracy counts the rows whose largest logit is their label") {
  auto data = two_rows();
  vector theta(6);
  theta << 1, 0, -1, 0, 0.5, 0;
  auto m = make_model(softmax(3), 1);
  CHECK(m->accuracy(theta, all_rows(data)) == 1.0);
  data.y[1] = 1;
  CHECK(m->accuracy(theta, all_rows(data)) == 0.5);
}

TEST_CASE("huge logits keep the loss finite") {
  auto data = two_rows();
  vector theta(6);
  theta << 900, 0, -900, 0, 0, 0;
  auto m = make_model(softmax(3), 1);
  CHECK(std::isfinite(m->loss(theta, all_rows(data))));
  vector grad(6);
  m->gradient(theta, all_rows(data), grad);
  CHECK(grad.allFinite());
}

TEST_CASE("labels that are not class indices and too few classes are refused") {
  auto data = two_rows();
  auto m = make_model(softmax(3), 1);
  data.y[1] = 3;
  CHECK_THROWS_AS(m->loss(vector::Zero(6), all_rows(data)), std::out_of_range);
  data.y[1] = 0.5;
  CHECK_THROWS_AS(m->loss(vector::Zero(6), all_rows(data)), std::out_of_range);
  CHECK_THROWS_WITH_AS(make_model(softmax(1), 1), doctest::Contains("at least 2 classes"),
                       std::invalid_argument);
}

}
