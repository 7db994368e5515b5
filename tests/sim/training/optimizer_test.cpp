// The optimizers (sim/training/optimizer.cpp): each step equals the update written out
// by hand, and reset() forgets momentum's velocity as a server crash does.
#include "sim/training/optimizer.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;

TEST_SUITE("sim.optimizer") {

TEST_CASE("the table picks momentum only when training.momentum > 0") {
  CHECK(optimizer_of({0}) == optimizer_kind::sgd);
  CHECK(optimizer_of({0.9}) == optimizer_kind::momentum);
  CHECK(to_string(optimizer_kind::sgd) == "sgd");
  CHECK(to_string(optimizer_kind::momentum) == "momentum");
}

TEST_CASE("sgd steps theta by -rate * direction") {
  auto sgd = make_optimizer(optimizer_kind::sgd, {0}, 2);
  vector theta(2), d(2);
  theta << 1.0, -2.0;
  d << 0.5, 3.0;
  sgd->step(theta, d, 0.1);
  CHECK(theta(0) == 1.0 - 0.1 * 0.5);
  CHECK(theta(1) == -2.0 - 0.1 * 3.0);
}

TEST_CASE("momentum accumulates a velocity v = mu v + d and steps by -rate * v") {
  auto mom = make_optimizer(optimizer_kind::momentum, {0.5}, 1);
  vector theta = vector::Constant(1, 1.0);
  vector d = vector::Constant(1, 2.0);
  mom->step(theta, d, 0.1); // v = 2
  CHECK(theta(0) == 1.0 - 0.1 * 2.0);
  mom->step(theta, d, 0.1); // v = 0.5 * 2 + 2 = 3
  CHECK(theta(0) == (1.0 - 0.1 * 2.0) - 0.1 * 3.0);
}

TEST_CASE("reset forgets the velocity") {
  auto mom = make_optimizer(optimizer_kind::momentum, {0.5}, 1);
  vector theta = vector::Zero(1);
  vector d = vector::Constant(1, 2.0);
  mom->step(theta, d, 1.0);
  mom->reset();
  vector fresh = vector::Zero(1);
  mom->step(theta, d, 1.0);
  CHECK(theta(0) == -2.0 - 2.0);
  auto other = make_optimizer(optimizer_kind::momentum, {0.5}, 1);
  other->step(fresh, d, 1.0);
  CHECK(fresh(0) == -2.0);
}

}
