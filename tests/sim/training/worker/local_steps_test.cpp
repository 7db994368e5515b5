// local_sgd's block: after H local steps the delta equals H direct SGD steps.
#include "sim/training/worker/local_steps.hpp"

#include "sim/training/worker/steps.hpp"

#include <doctest/doctest.h>

#include <vector>

using namespace psim::sim;

TEST_SUITE("sim.local_steps") {

TEST_CASE("after H steps the block's delta equals H direct SGD steps") {
  const std::vector<vector> gradients{vector{{1.0, -2.0, 0.5}}, vector{{0.25, 4.0, -1.0}},
                                      vector{{-3.0, 0.5, 2.0}}};
  const vector theta0{{0.5, 1.5, -2.5}};
  local_block block{3};
  vector theta = theta0;
  block.begin(theta);
  std::vector<bool> ends;
  for (std::size_t i = 0; i < gradients.size(); ++i)
    ends.push_back(block.step(theta, gradients[i], 0.1 * static_cast<double>(i + 1), 8 + i));
  CHECK(ends == std::vector<bool>{false, false, true});
  CHECK(block.steps() == 3);
  CHECK(block.samples() == 8 + 9 + 10);

  vector direct = theta0;
  for (std::size_t i = 0; i < gradients.size(); ++i)
    direct -= 0.1 * static_cast<double>(i + 1) * gradients[i];
  vector delta(3);
  block.delta(theta, delta);
  for (Eigen::Index k = 0; k < 3; ++k) {
    CHECK(theta[k] == direct[k]);
    CHECK(delta[k] == theta0[k] - direct[k]);
  }
}

TEST_CASE("a new block starts from the parameters it is given") {
  local_block block{1};
  vector theta{{1.0, 2.0}};
  block.begin(theta);
  CHECK(block.step(theta, vector{{1.0, 1.0}}, 0.5, 4));
  theta = vector{{10.0, 20.0}};
  block.begin(theta);
  CHECK(block.steps() == 0);
  CHECK(block.samples() == 0);
  vector delta(2);
  block.delta(theta, delta);
  CHECK(delta == vector::Zero(2));
}

TEST_CASE("sgd_step moves against the gradient by the rate") {
  vector theta{{1.0, -1.0}};
  sgd_step(theta, vector{{2.0, 4.0}}, 0.25);
  CHECK(theta == vector{{0.5, -2.0}});
}

}
