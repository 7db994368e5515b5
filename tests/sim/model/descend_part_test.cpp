// Tests for plain SGD's step taken in the pass that writes a one-row gradient from its
// residual (model::descend_part): the bits of writing the gradient, scaling it and
// stepping θ by it with the sgd optimizer, for every model with a residual form, whole
// or in parts, in place or into other memory.
#include "sim/model/model.hpp"
#include "sim/model/residual_gradient.hpp"
#include "sim/training/optimizer.hpp"
#include "tests/sim/model/gradient_check.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

using namespace psim::sim;
using psim::test::same_bits;

namespace {

// θ stepped by `factor` times the gradient on `b` the long way: written whole, scaled,
// then the sgd optimizer's step.
vector stepped_by_sgd(const model& m, const vector& theta, const vector& residual,
                      const batch& b, double factor, double rate) {
  vector g(theta.size());
  m.gradient_from(residual, b, g);
  if (factor != 1)
    g *= factor;
  vector out(theta.size());
  make_optimizer(optimizer_settings{}, theta.size())->step_into(theta, out, g, rate);
  return out;
}

// Checks descend_part against stepped_by_sgd for `m` on each row of `data`.
void check_descent(const model& m, const dataset& data, std::uint64_t seed) {
  auto theta = psim::test::random_theta(m.parameters(), seed, 0.3);
  for (std::size_t r = 0; r < static_cast<std::size_t>(data.x.rows()); ++r) {
    auto b = rows_of(data, r, 1);
    vector residual(m.residual_size(b));
    REQUIRE(residual.size() > 0);
    m.residual(theta, b, residual);
    for (double factor : {1.0, 0.37}) {
      INFO("row ", r, ", factor ", factor);
      auto expected = stepped_by_sgd(m, theta, residual, b, factor, 0.05);
      vector into = vector::Constant(theta.size(), -1.0);
      residual_gradient{m, residual, b, factor}.descend(0.05, theta, into);
      CHECK(same_bits(into, expected));
      vector in_place = theta;
      m.descend_part(residual, b, 0, factor, 0.05, in_place, in_place);
      CHECK(same_bits(in_place, expected));
      // In parts that end inside a row of weights, on a row's end, and past the biases.
      for (Eigen::Index part : {1, 7, 1000}) {
        vector parts = theta;
        for (Eigen::Index at = 0; at < parts.size(); at += part) {
          auto n = std::min(part, parts.size() - at);
          m.descend_part(residual, b, at, factor, 0.05, parts.segment(at, n), parts.segment(at, n));
        }
        CHECK(same_bits(parts, expected));
      }
    }
  }
}

model_config config_of(const char* kind, std::size_t classes, bool bias) {
  model_config config;
  config.kind = kind;
  config.classes = classes;
  config.bias = bias;
  return config;
}

} // namespace

TEST_CASE("plain SGD stepped in the gradient's pass has the bits of writing and stepping") {
  CHECK(make_optimizer(optimizer_settings{}, 4)->plain());
  struct kind { const char* name; std::size_t classes, features; };
  for (auto k : {kind{"softmax_regression", 100, 999}, kind{"softmax_regression", 3, 20},
                 kind{"linear_regression", 0, 999}, kind{"logistic_regression", 0, 7}})
    for (bool bias : {true, false}) {
      INFO(k.name, ", ", k.classes, " x ", k.features, ", bias ", bias);
      auto data = psim::test::random_rows(4, k.features, k.classes == 0 ? 2 : k.classes, 5);
      for (Eigen::Index j = 0; j < data.x.cols(); j += 3)
        data.x.col(j).setZero(); // zero products, whose signs the pass must keep
      check_descent(*make_model(config_of(k.name, k.classes, bias), k.features), data, 9);
    }
  // MLPs on both sides of Eigen's product choice, classes and regression.
  for (std::size_t classes : {3, 0})
    for (std::vector<std::size_t> hidden : {std::vector<std::size_t>{16, 8}, {3}}) {
      INFO("mlp, ", hidden.size(), " hidden layers, ", classes, " classes");
      auto config = config_of("mlp", classes, true);
      config.hidden = hidden;
      auto data = psim::test::random_rows(3, 20, classes, 5);
      check_descent(*make_model(config, 20), data, 4);
    }
}

TEST_CASE("only plain SGD takes its step in the gradient's pass") {
  for (auto kind : {optimizer_kind::momentum, optimizer_kind::nesterov, optimizer_kind::adam,
                    optimizer_kind::rmsprop, optimizer_kind::adagrad}) {
    optimizer_settings settings;
    settings.kind = kind;
    CHECK_FALSE(make_optimizer(settings, 4)->plain());
  }
}
