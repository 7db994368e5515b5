// Tests for the batch-1 gradients of the softmax, linear and logistic regressions: written
// in one pass, they have the bits of the whole-batch products they replace, zeros' signs
// too; and written in two halves (the residual, then the gradient from it), the same bits.
#include "sim/model/model_parts.hpp"
#include "tests/sim/model/gradient_check.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <vector>
#include <string>

using namespace psim::sim;
using psim::test::same_bits;

namespace {

model_config softmax(std::size_t classes, bool bias, double l2,
                     const char* kind = "softmax_regression") {
  model_config config;
  config.kind = kind;
  config.classes = classes;
  config.bias = bias;
  config.l2 = l2;
  return config;
}

// The gradient as the model computed it before: Eigen's product Z^T X on the row
// (a GEMM that zeroes the result first, or the coefficient path for tiny shapes).
vector product_gradient(const vector& theta, const batch& b, Eigen::Index classes, bool bias,
                        double l2) {
  auto features = b.x.cols();
  Eigen::Map<const matrix> weights(theta.data(), classes, features);
  matrix logits(b.x.rows(), classes);
  Eigen::Ref<matrix> z = logits;
  z.noalias() = b.x * weights.transpose();
  if (bias)
    z.rowwise() += theta.tail(classes).transpose();
  vector row(b.x.rows());
  detail::softmax_cross_entropy(z, b.y, row);
  detail::cross_entropy_gradient(z, b.y);
  vector out(theta.size());
  Eigen::Map<matrix> grad_w(out.data(), classes, features);
  grad_w.noalias() = z.transpose() * b.x;
  if (l2 != 0)
    grad_w += l2 * weights;
  if (bias)
    out.tail(classes) = z.colwise().sum().transpose();
  return out;
}

// The gradient of a linear model as computed before: scale X^T r by Eigen's GEMV, with
// r = Xw + b - y (linear) or sigmoid(Xw + b) - t (logistic).
vector gemv_gradient(const vector& theta, const batch& b, bool logistic, bool bias, double l2) {
  auto features = b.x.cols();
  vector residual(b.x.rows());
  Eigen::Ref<vector> r = residual;
  r.noalias() = b.x * theta.head(features);
  if (!logistic)
    r -= b.y; // in the models' order: the linear one subtracts y before adding the bias
  if (bias)
    r.array() += theta[features];
  if (logistic)
    r = (1.0 + (-r.array()).exp()).inverse().matrix() - (b.y.array() > 0).cast<double>().matrix();
  double scale = (logistic ? 1.0 : 2.0) / static_cast<double>(b.rows());
  vector out(theta.size());
  auto grad_w = out.head(features);
  grad_w.noalias() = scale * (b.x.transpose() * r);
  if (l2 != 0)
    grad_w += l2 * theta.head(features);
  if (bias)
    out[features] = scale * r.sum();
  return out;
}

// An MLP's gradient as computed before: Eigen's products on the batch, layer by layer.
vector product_mlp_gradient(const vector& theta, const batch& b, const model_config& config) {
  std::vector<Eigen::Index> widths{b.x.cols()};
  for (auto h : config.hidden)
    widths.push_back(static_cast<Eigen::Index>(h));
  widths.push_back(config.classes > 0 ? static_cast<Eigen::Index>(config.classes) : 1);
  auto layers = widths.size() - 1;
  std::vector<Eigen::Index> offset{0};
  for (std::size_t l = 0; l < layers; ++l)
    offset.push_back(offset[l] + widths[l + 1] * widths[l] + (config.bias ? widths[l + 1] : 0));
  auto weights = [&](std::size_t l) {
    return Eigen::Map<const matrix>(theta.data() + offset[l], widths[l + 1], widths[l]);
  };
  std::vector<matrix> act(layers), delta(layers);
  for (std::size_t l = 0; l < layers; ++l) {
    act[l].resize(b.x.rows(), widths[l + 1]);
    act[l].noalias() = (l == 0 ? matrix(b.x) : act[l - 1]) * weights(l).transpose();
    if (config.bias)
      act[l].rowwise() += theta.segment(offset[l] + widths[l + 1] * widths[l], widths[l + 1]).transpose();
    if (l + 1 < layers)
      act[l] = config.activation == "tanh" ? matrix(act[l].array().tanh()) : matrix(act[l].array().max(0.0));
  }
  auto n = static_cast<double>(b.x.rows());
  delta[layers - 1] = act[layers - 1];
  if (config.classes > 0) {
    vector row(b.x.rows());
    detail::softmax_cross_entropy(delta[layers - 1], b.y, row);
    detail::cross_entropy_gradient(delta[layers - 1], b.y);
  } else {
    delta[layers - 1].col(0) = (2.0 / n) * (act[layers - 1].col(0) - b.y);
  }
  vector out(theta.size());
  for (std::size_t l = layers; l-- > 0;) {
    Eigen::Map<matrix> grad_w(out.data() + offset[l], widths[l + 1], widths[l]);
    grad_w.noalias() = delta[l].transpose() * (l == 0 ? matrix(b.x) : act[l - 1]);
    if (config.bias)
      out.segment(offset[l] + widths[l + 1] * widths[l], widths[l + 1]) = delta[l].colwise().sum().transpose();
    if (l == 0)
      break;
    delta[l - 1].resize(b.x.rows(), widths[l]);
    delta[l - 1].noalias() = delta[l] * weights(l);
    if (config.activation == "tanh")
      delta[l - 1].array() *= 1.0 - act[l - 1].array().square();
    else
      delta[l - 1].array() *= (act[l - 1].array() > 0).cast<double>();
  }
  return out;
}

} // namespace

TEST_SUITE("sim.softmax_one_pass") {

TEST_CASE("a one-row gradient has the bits of the product, negative zeros made positive") {
  // Shapes on both sides of Eigen's choice: 3 x 4 takes its coefficient path (which
  // keeps -0), the others its GEMM (which gives +0); features that are 0 make zeros.
  struct shape { std::size_t classes, features; };
  for (auto s : {shape{3, 4}, shape{3, 20}, shape{17, 2}, shape{100, 999}})
    for (bool bias : {true, false})
      for (double l2 : {0.0, 0.25}) {
        INFO(s.classes, " x ", s.features, ", bias ", bias, ", l2 ", l2);
        auto data = psim::test::random_rows(8, s.features, s.classes, 5);
        for (Eigen::Index j = 0; j < data.x.cols(); j += 3)
          data.x.col(j).setZero();
        auto m = make_model(softmax(s.classes, bias, l2), s.features);
        auto theta = psim::test::random_theta(m->parameters(), 9, 0.1);
        for (std::size_t r = 0; r < 8; ++r) {
          auto b = rows_of(data, r, 1);
          vector grad(theta.size());
          m->gradient(theta, b, grad);
          auto expected = product_gradient(theta, b, static_cast<Eigen::Index>(s.classes),
                                           bias, l2);
          CHECK(same_bits(grad, expected));
        }
      }
}

TEST_CASE("the products of zero features are +0 where the row's classes take the GEMM") {
  auto data = psim::test::random_rows(1, 20, 3, 5);
  data.x(0, 0) = 0;
  auto m = make_model(softmax(3, true, 0), 20);
  vector theta = vector::Zero(static_cast<Eigen::Index>(m->parameters()));
  vector grad(theta.size());
  m->gradient(theta, rows_of(data, 0, 1), grad);
  // Every class's entry for feature 0 is z_k * 0; z is negative for the label's class.
  for (Eigen::Index k = 0; k < 3; ++k) {
    CHECK(grad[k * 20] == 0.0);
    CHECK_FALSE(std::signbit(grad[k * 20]));
  }
}

TEST_CASE("a one-row linear or logistic gradient has the bits of the GEMV") {
  for (bool logistic : {false, true})
    for (std::size_t features : {1, 2, 7, 999})
      for (bool bias : {true, false})
        for (double l2 : {0.0, 0.25}) {
          INFO("logistic ", logistic, ", features ", features, ", bias ", bias, ", l2 ", l2);
          auto data = psim::test::random_rows(8, features, logistic ? 2 : 0, 7);
          for (Eigen::Index j = 1; j < data.x.cols(); j += 3)
            data.x.col(j).setZero();
          auto kind = logistic ? "logistic_regression" : "linear_regression";
          auto m = make_model(softmax(0, bias, l2, kind), features);
          auto theta = psim::test::random_theta(m->parameters(), 3, 0.5);
          for (std::size_t r = 0; r < 8; ++r) {
            auto b = rows_of(data, r, 1);
            vector grad(theta.size());
            m->gradient(theta, b, grad);
            CHECK(same_bits(grad, gemv_gradient(theta, b, logistic, bias, l2)));
          }
        }
}

// The gradient from `residual` written `part` entries at a time, as a server steps θ.
vector written_in_parts(const model& m, const vector& residual, const batch& b,
                        Eigen::Index part) {
  vector out = vector::Constant(static_cast<Eigen::Index>(m.parameters()), -1.0);
  for (Eigen::Index begin = 0; begin < out.size(); begin += part)
    m.gradient_part(residual, b, begin, out.segment(begin, std::min(part, out.size() - begin)));
  return out;
}

TEST_CASE("a gradient written from its residual has the bits of the product") {
  struct kind { const char* name; std::size_t classes, features; Eigen::Index residual; };
  for (auto k : {kind{"softmax_regression", 100, 999, 100}, kind{"softmax_regression", 3, 20, 3},
                 kind{"linear_regression", 0, 999, 1}, kind{"logistic_regression", 0, 7, 1}})
    for (bool bias : {true, false}) {
      INFO(k.name, ", ", k.classes, " x ", k.features, ", bias ", bias);
      auto data = psim::test::random_rows(8, k.features, k.classes == 0 ? 2 : k.classes, 5);
      for (Eigen::Index j = 0; j < data.x.cols(); j += 3)
        data.x.col(j).setZero();
      auto m = make_model(softmax(k.classes, bias, 0, k.name), k.features);
      auto theta = psim::test::random_theta(m->parameters(), 9, 0.1);
      for (std::size_t r = 0; r < 8; ++r) {
        auto b = rows_of(data, r, 1);
        REQUIRE(m->residual_size(b) == k.residual);
        vector residual(k.residual);
        m->residual(theta, b, residual);
        vector halves = vector::Constant(theta.size(), -1.0);
        m->gradient_from(residual, b, halves);
        auto logistic = std::string(k.name) == "logistic_regression";
        auto expected = k.classes > 0
                          ? product_gradient(theta, b, static_cast<Eigen::Index>(k.classes), bias, 0)
                          : gemv_gradient(theta, b, logistic, bias, 0);
        CHECK(same_bits(halves, expected));
        // In parts that end inside a class's row, on a row's end, and past the biases.
        for (Eigen::Index part : {1, 7, 1000, 4096})
          CHECK(same_bits(written_in_parts(*m, residual, b, part), expected));
      }
    }
}

TEST_CASE("a gradient that needs the parameters has no residual form") {
  auto data = psim::test::random_rows(4, 20, 3, 5);
  auto one = rows_of(data, 0, 1);
  auto two = rows_of(data, 0, 2);
  for (const char* name : {"softmax_regression", "linear_regression", "logistic_regression"}) {
    INFO(name);
    std::size_t classes = std::string(name) == "softmax_regression" ? 3 : 0;
    CHECK(make_model(softmax(classes, true, 0, name), 20)->residual_size(two) == 0);
    CHECK(make_model(softmax(classes, true, 0.25, name), 20)->residual_size(one) == 0);
  }
  // Tiny softmax shapes take Eigen's coefficient path, whose bits the one pass lacks.
  auto tiny = psim::test::random_rows(1, 4, 3, 5);
  CHECK(make_model(softmax(3, true, 0), 4)->residual_size(rows_of(tiny, 0, 1)) == 0);
  auto mlp = softmax(3, true, 0, "mlp");
  mlp.hidden = {4};
  CHECK(make_model(mlp, 20)->residual_size(two) == 0);
  mlp.l2 = 0.25;
  CHECK(make_model(mlp, 20)->residual_size(one) == 0);
}

TEST_CASE("an MLP's one-row gradient has the bits of Eigen's products, from its residual too") {
  // Layers on both sides of Eigen's choice (1 + out + in < 20: coefficient path), a
  // single output (GEMV), relu and tanh; features that are 0 make zeros.
  struct shape { std::size_t features; std::vector<std::size_t> hidden; std::size_t classes; };
  for (const auto& s : {shape{4, {3}, 3}, shape{20, {16, 8}, 10}, shape{30, {5}, 0},
                        shape{2, {40}, 2}, shape{4, {40}, 0}, shape{1, {30}, 3}})
    for (const char* activation : {"relu", "tanh"})
      for (bool bias : {true, false}) {
        INFO(s.features, " features, ", s.hidden.size(), " hidden, ", s.classes, " classes, ",
             activation, ", bias ", bias);
        auto config = softmax(s.classes, bias, 0, "mlp");
        config.hidden = s.hidden;
        config.activation = activation;
        auto data = psim::test::random_rows(6, s.features, s.classes, 5);
        for (Eigen::Index j = 0; j < data.x.cols(); j += 3)
          data.x.col(j).setZero();
        auto m = make_model(config, s.features);
        auto theta = psim::test::random_theta(m->parameters(), 9, 0.5);
        for (std::size_t r = 0; r < 6; ++r) {
          auto b = rows_of(data, r, 1);
          auto expected = product_mlp_gradient(theta, b, config);
          vector whole(theta.size());
          m->gradient(theta, b, whole);
          CHECK(same_bits(whole, expected));
          vector residual(m->residual_size(b));
          REQUIRE(residual.size() > 0);
          m->residual(theta, b, residual);
          vector halves = vector::Constant(theta.size(), -1.0);
          m->gradient_from(residual, b, halves);
          CHECK(same_bits(halves, expected));
          for (Eigen::Index part : {1, 5, 64})
            CHECK(same_bits(written_in_parts(*m, residual, b, part), expected));
        }
      }
}

}
