// Tests for sim/data/synthetic.cpp: logistic labels follow the sigmoid of the true margin,
// blobs cluster around their centres, and both are reproducible from the seed.
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace psim::sim;

TEST_SUITE("sim.synthetic") {

TEST_CASE("logistic data has 0/1 labels whose rate follows the true weights") {
  data_config config;
  config.generator = "logistic";
  config.samples = 4000;
  config.weights = {3.0, -3.0};
  config.bias = 0;
  auto data = make_logistic(config, 5);
  REQUIRE(data.features() == 2);
  CHECK(((data.y.array() == 0) || (data.y.array() == 1)).all());
  // Where x.w > 2 the label is 1 with probability > 0.88; where x.w < -2, < 0.12.
  vector margin = data.x * Eigen::Vector2d(3, -3);
  double high = 0, high_ones = 0, low = 0, low_ones = 0;
  for (Eigen::Index i = 0; i < margin.size(); ++i) {
    if (margin[i] > 2) {
      ++high;
      high_ones += data.y[i];
    } else if (margin[i] < -2) {
      ++low;
      low_ones += data.y[i];
    }
  }
  CHECK(high_ones / high > 0.88);
  CHECK(low_ones / low < 0.12);
  // Logistic regression on it comes close to the true weights' log-loss.
  model_config logistic;
  logistic.kind = "logistic_regression";
  auto m = make_model(logistic, 2);
  vector truth{{3.0, -3.0, 0.0}};
  vector theta = vector::Zero(3);
  vector grad(3);
  for (int step = 0; step < 500; ++step) {
    m->gradient(theta, all_rows(data), grad);
    theta -= 1.0 * grad;
  }
  CHECK(m->loss(theta, all_rows(data)) <= m->loss(truth, all_rows(data)) + 1e-3);
  CHECK(make_logistic(config, 5).y == data.y);
}

TEST_CASE("blobs cycle through their centres and stay within a few noise widths") {
  data_config config;
  config.generator = "blobs";
  config.samples = 300;
  config.features = 4;
  config.centers = 3;
  config.noise = 0.05;
  auto data = make_blobs(config, 2);
  REQUIRE(data.rows() == 300);
  for (Eigen::Index i = 0; i < 6; ++i)
    CHECK(data.y[i] == static_cast<double>(i % 3));
  for (int k = 0; k < 3; ++k) {
    matrix rows(100, 4);
    for (Eigen::Index i = 0; i < 100; ++i)
      rows.row(i) = data.x.row(3 * i + k);
    Eigen::RowVectorXd centre = rows.colwise().mean();
    double spread = std::sqrt((rows.rowwise() - centre).squaredNorm() / 400);
    CHECK(spread == doctest::Approx(0.05).epsilon(0.15));
  }
  CHECK(make_blobs(config, 2).x == data.x);
  CHECK(make_blobs(config, 3).x != data.x);
}

}
