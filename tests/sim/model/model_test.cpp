// Tests for sim/model/model.cpp: linear regression's loss and exact gradient on batch views.
#include "sim/model/model.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

using namespace psim::sim;

namespace {

dataset noisy_rows(std::size_t rows, std::size_t features, std::uint64_t seed) {
  random_stream rng(seed, "model-test");
  dataset data;
  data.x.resize(static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(features));
  data.y.resize(static_cast<Eigen::Index>(rows));
  for (Eigen::Index i = 0; i < data.x.rows(); ++i) {
    for (Eigen::Index j = 0; j < data.x.cols(); ++j)
      data.x(i, j) = rng.normal();
    data.y[i] = 3 * rng.normal();
  }
  return data;
}

vector random_theta(std::size_t size, std::uint64_t seed) {
  random_stream rng(seed, "theta");
  vector theta(static_cast<Eigen::Index>(size));
  for (Eigen::Index i = 0; i < theta.size(); ++i)
    theta[i] = rng.normal();
  return theta;
}

/// Checks the gradient against central differences of loss + (l2/2)|w|^2.
void check_gradient(bool bias, double l2) {
  INFO("bias = ", bias, ", l2 = ", l2);
  const std::size_t features = 4;
  auto data = noisy_rows(50, features, 9);
  auto m = make_model({"linear_regression", bias, {}, "relu", l2}, features);
  REQUIRE(m->parameters() == features + (bias ? 1 : 0));
  vector theta = random_theta(m->parameters(), 4);
  auto b = all_rows(data);
  auto objective = [&](const vector& t) {
    double penalty = 0.5 * l2 * t.head(static_cast<Eigen::Index>(features)).squaredNorm();
    return m->loss(t, b) + penalty;
  };
  vector grad(theta.size());
  m->gradient(theta, b, grad);
  const double h = 1e-5;
  for (Eigen::Index i = 0; i < theta.size(); ++i) {
    vector up = theta;
    vector down = theta;
    up[i] += h;
    down[i] -= h;
    double numeric = (objective(up) - objective(down)) / (2 * h);
    INFO("parameter ", i, ": analytic ", grad[i], ", numeric ", numeric);
    CHECK(std::abs(grad[i] - numeric) <= 1e-6 * std::max(1.0, std::abs(numeric)));
  }
}

} // namespace

TEST_SUITE("sim.model") {

TEST_CASE("the gradient matches central finite differences") {
  check_gradient(true, 0);
  check_gradient(false, 0);
  check_gradient(true, 0.3);
  check_gradient(false, 0.3);
}

TEST_CASE("the loss is the mean squared error computed by hand") {
  dataset data;
  data.x.resize(3, 2);
  data.x << 1, 2,
            3, 4,
            5, 6;
  data.y.resize(3);
  data.y << 1, 2, 3;
  vector theta(3);
  theta << 0.5, -1, 2; // w = (0.5, -1), bias 2
  // Predictions 0.5, -0.5, -1.5; residuals -0.5, -2.5, -4.5; squares sum to 26.75.
  auto with_bias = make_model({"linear_regression", true, {}, "relu", 0.7}, 2);
  CHECK(with_bias->loss(theta, all_rows(data)) == doctest::Approx(26.75 / 3));
  // Without bias predictions are -1.5, -2.5, -3.5; squares 6.25 + 20.25 + 42.25.
  auto without_bias = make_model({"linear_regression", false, {}, "relu", 0}, 2);
  CHECK(without_bias->loss(theta.head(2), all_rows(data)) == doctest::Approx(68.75 / 3));
  vector grad(3);
  with_bias->gradient(theta, all_rows(data), grad);
  // (2/3) X^T r + 0.7 w, and (2/3) sum r for the bias.
  CHECK(grad[0] == doctest::Approx(2.0 / 3 * (-0.5 - 7.5 - 22.5) + 0.7 * 0.5));
  CHECK(grad[1] == doctest::Approx(2.0 / 3 * (-1 - 10 - 27) + 0.7 * -1));
  CHECK(grad[2] == doctest::Approx(2.0 / 3 * -7.5));
}

TEST_CASE("a batch is a view and gives the same gradient as a copy of its rows") {
  auto data = noisy_rows(40, 3, 5);
  auto m = make_model({}, 3);
  vector theta = random_theta(m->parameters(), 6);
  auto view = rows_of(data, 10, 15);
  CHECK(view.x.data() == data.x.data() + 10 * 3);
  CHECK(view.y.data() == data.y.data() + 10);
  dataset copy;
  copy.x = data.x.middleRows(10, 15);
  copy.y = data.y.segment(10, 15);
  vector from_view(theta.size());
  vector from_copy(theta.size());
  m->gradient(theta, view, from_view);
  m->gradient(theta, all_rows(copy), from_copy);
  CHECK((from_view - from_copy).cwiseAbs().maxCoeff() < 1e-12);
  CHECK(m->loss(theta, view) == doctest::Approx(m->loss(theta, all_rows(copy))));
  // A batch of another size after a warm-up still gives the right answer.
  vector whole(theta.size());
  m->gradient(theta, all_rows(data), whole);
  CHECK((whole - from_view).norm() > 1e-6);
}

TEST_CASE("linear regression starts at zeros and has no accuracy") {
  auto data = noisy_rows(5, 2, 1);
  auto m = make_model({}, 2);
  random_stream rng(1, "init");
  vector theta = m->initial_parameters(rng);
  CHECK(theta.size() == 3);
  CHECK(theta.isZero(0));
  CHECK(m->accuracy(theta, all_rows(data)) < 0);
}

TEST_CASE("an unknown model kind is rejected with its name") {
  model_config config;
  config.kind = "decision_tree";
  CHECK_THROWS_WITH_AS(make_model(config, 2), doctest::Contains("decision_tree"),
                       std::invalid_argument);
}

}
