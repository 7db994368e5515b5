// The optimizers (sim/training/optimizer.cpp): each equals its update rule written out
// element by element over many steps, a clone carries the state on (checkpoints), and
// the scenario keys choose them with their defaults.
#include "sim/training/optimizer.hpp"

#include "sim/scenario/scenario.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>

using namespace psim::sim;

namespace {

constexpr int steps = 50;
constexpr double rate = 0.05;

// A deterministic direction for step t and coordinate i, of both signs and scales.
double direction_at(int t, int i) { return std::sin(1.3 * t + 0.7 * i) * (1 + i) + 0.1 * t; }

// One coordinate's update written out: (theta, d, t) -> new theta, with its own state.
using scalar_rule = std::function<double(double theta, double d, int t)>;

// Runs the optimizer and the written-out rule side by side and compares to 1e-12.
void check_against(const optimizer_settings& s, const std::function<scalar_rule()>& make_rule) {
  constexpr int size = 3;
  auto opt = make_optimizer(s, size);
  vector theta(size), d(size);
  theta << 0.5, -1.0, 2.0;
  std::vector<double> expected{0.5, -1.0, 2.0};
  std::vector<scalar_rule> rules;
  for (int i = 0; i < size; ++i)
    rules.push_back(make_rule());
  for (int t = 1; t <= steps; ++t) {
    for (int i = 0; i < size; ++i) {
      d(i) = direction_at(t, i);
      expected[i] = rules[i](expected[i], d(i), t);
    }
    opt->step(theta, d, rate);
  }
  for (int i = 0; i < size; ++i)
    CHECK(theta(i) == doctest::Approx(expected[i]).epsilon(1e-12));
}

optimizer_settings of(optimizer_kind kind) {
  optimizer_settings s;
  s.kind = kind;
  return s;
}

} // namespace

TEST_SUITE("sim.optimizer") {

TEST_CASE("sgd steps theta by -rate * direction") {
  check_against(of(optimizer_kind::sgd), [] {
    return [](double theta, double d, int) { return theta - rate * d; };
  });
}

TEST_CASE("momentum accumulates v = mu v + d and steps by -rate * v") {
  auto s = of(optimizer_kind::momentum);
  s.momentum = 0.7;
  check_against(s, [] {
    return [v = 0.0](double theta, double d, int) mutable {
      v = 0.7 * v + d;
      return theta - rate * v;
    };
  });
}

TEST_CASE("nesterov steps by -rate * (d + mu v) after v = mu v + d") {
  auto s = of(optimizer_kind::nesterov);
  s.momentum = 0.8;
  check_against(s, [] {
    return [v = 0.0](double theta, double d, int) mutable {
      v = 0.8 * v + d;
      return theta - rate * (d + 0.8 * v);
    };
  });
}

TEST_CASE("adam divides the bias-corrected first moment by the root of the second") {
  auto s = of(optimizer_kind::adam);
  s.beta1 = 0.85;
  s.beta2 = 0.99;
  s.epsilon = 1e-6;
  check_against(s, [] {
    return [m = 0.0, v = 0.0](double theta, double d, int t) mutable {
      m = 0.85 * m + 0.15 * d;
      v = 0.99 * v + 0.01 * d * d;
      double m_hat = m / (1 - std::pow(0.85, t));
      double v_hat = v / (1 - std::pow(0.99, t));
      return theta - rate * m_hat / (std::sqrt(v_hat) + 1e-6);
    };
  });
}

TEST_CASE("rmsprop divides by the root of the running mean square") {
  auto s = of(optimizer_kind::rmsprop);
  s.rho = 0.95;
  s.epsilon = 1e-7;
  check_against(s, [] {
    return [sq = 0.0](double theta, double d, int) mutable {
      sq = 0.95 * sq + 0.05 * d * d;
      return theta - rate * d / (std::sqrt(sq) + 1e-7);
    };
  });
}

TEST_CASE("adagrad divides by the root of the sum of squares") {
  auto s = of(optimizer_kind::adagrad);
  s.epsilon = 1e-10;
  check_against(s, [] {
    return [sum = 0.0](double theta, double d, int) mutable {
      sum += d * d;
      return theta - rate * d / (std::sqrt(sum) + 1e-10);
    };
  });
}

TEST_CASE("a clone carries the state on, as a checkpoint of it does") {
  for (auto name : optimizer_names()) {
    CAPTURE(name);
    auto s = of(*optimizer_named(name));
    auto opt = make_optimizer(s, 1);
    vector theta = vector::Constant(1, 1.0), d = vector::Constant(1, 2.0);
    opt->step(theta, d, 0.1);
    auto saved = opt->clone();
    vector a = theta, b = theta;
    opt->step(a, d, 0.1);
    saved->step(b, d, 0.1);
    CHECK(a(0) == b(0));
    auto fresh = make_optimizer(s, 1);
    vector c = theta;
    fresh->step(c, d, 0.1);
    if (name != "sgd")
      CHECK(c(0) != a(0)); // the state matters
  }
}

TEST_CASE("each optimizer has one name that reads back") {
  CHECK(optimizer_names() == std::vector<std::string_view>{"sgd", "momentum", "nesterov", "adam",
                                                           "rmsprop", "adagrad"});
  for (auto name : optimizer_names())
    CHECK(to_string(*optimizer_named(name)) == name);
}

TEST_CASE("training.optimizer reads a name or a table; momentum alone means momentum") {
  auto plain = parse_scenario("", "s.toml").training.optimizer;
  CHECK(plain.kind == optimizer_kind::sgd);
  auto old = parse_scenario("[training]\nmomentum = 0.5\n", "s.toml");
  CHECK(old.training.optimizer.kind == optimizer_kind::momentum);
  CHECK(old.training.optimizer.momentum == 0.5);
  auto again = parse_scenario(old.resolved, "r.toml").training.optimizer;
  CHECK(again.kind == optimizer_kind::momentum);
  CHECK(again.momentum == 0.5);
  auto adam = parse_scenario("[training]\noptimizer = \"adam\"\n", "s.toml").training.optimizer;
  CHECK(adam.kind == optimizer_kind::adam);
  CHECK(adam.beta1 == 0.9);
  CHECK(adam.beta2 == 0.999);
  CHECK(adam.epsilon == 1e-8);
  auto tuned = parse_scenario("[training]\noptimizer = { kind = \"adam\", beta2 = 0.9 }\n",
                              "s.toml").training.optimizer;
  CHECK(tuned.beta2 == 0.9);
  auto nest = parse_scenario("[training]\noptimizer = \"nesterov\"\n", "s.toml");
  CHECK(nest.training.optimizer.momentum == 0.9);
  auto ada = parse_scenario("[training]\noptimizer = \"adagrad\"\n", "s.toml");
  CHECK(ada.training.optimizer.epsilon == 1e-10);
  auto rms = parse_scenario("[training]\noptimizer = { kind = \"rmsprop\", rho = 0.99 }\n",
                            "s.toml");
  CHECK(rms.training.optimizer.rho == 0.99);
  CHECK_THROWS_AS(parse_scenario("[training]\noptimizer = \"adam\"\nmomentum = 0.9\n", "s.toml"),
                  scenario_error);
  CHECK_THROWS_AS(parse_scenario("[training]\noptimizer = { kind = \"sgd\", beta1 = 0.9 }\n",
                                 "s.toml"),
                  scenario_error);
  CHECK_THROWS_AS(parse_scenario("[training]\noptimizer = \"lion\"\n", "s.toml"),
                  scenario_error);
}


TEST_CASE("an update taken a part at a time has the bits of a whole one, every optimizer") {
  // The server steps θ by a gradient in residual form this way (server_parameters), so
  // each optimizer's state must be updated part by part as it is all at once.
  constexpr Eigen::Index size = 1001;
  for (auto name : optimizer_names()) {
    INFO(name);
    auto s = of(*optimizer_named(name));
    s.momentum = 0.9;
    auto whole = make_optimizer(s, size);
    auto parts = make_optimizer(s, size);
    vector a = vector::LinSpaced(size, -1.0, 1.0);
    vector b = a;
    vector d(size);
    for (int t = 1; t <= 20; ++t) {
      for (Eigen::Index i = 0; i < size; ++i)
        d(i) = direction_at(t, static_cast<int>(i % 97));
      whole->step(a, d, rate);
      parts->begin_step();
      for (Eigen::Index at = 0; at < size; at += 64) {
        auto n = std::min<Eigen::Index>(64, size - at);
        parts->step_part(b.segment(at, n), b.segment(at, n), d.segment(at, n), rate, at);
      }
      REQUIRE(std::memcmp(a.data(), b.data(), sizeof(double) * size) == 0);
    }
  }
}

}
