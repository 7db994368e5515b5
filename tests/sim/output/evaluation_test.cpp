// Evaluation of a parameter vector: the model's own loss and accuracy on all train and
// test rows, and no test values without test rows.
#include "sim/output/evaluation.hpp"
#include "sim/scenario/scenario.hpp"

#include <doctest/doctest.h>

#include <memory>

using namespace psim;

namespace {

const sim::prepared_data& data_of(const sim::scenario& scn) {
  static std::shared_ptr<const sim::prepared_data> kept;
  kept = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  return *kept;
}

} // namespace

TEST_SUITE("sim.output.evaluation") {

TEST_CASE("the losses are the model's on every train and test row") {
  auto scn = sim::parse_scenario("[data]\nsamples = 40\nfeatures = 3\ntest_fraction = 0.25\n",
                                 "evaluation.toml");
  const auto& data = data_of(scn);
  auto model = sim::make_model(scn.model, data.train.features());
  sim::vector theta = sim::vector::Constant(static_cast<Eigen::Index>(model->parameters()), 0.5);
  auto e = sim::evaluate(*model, data, theta);
  CHECK(e.train_loss == model->loss(theta, sim::all_rows(data.train)));
  REQUIRE(e.test_loss);
  CHECK(*e.test_loss == model->loss(theta, sim::all_rows(data.test)));
  CHECK(!e.test_accuracy); // linear regression has no accuracy
}

TEST_CASE("without test rows there is no test loss") {
  auto scn = sim::parse_scenario("[data]\nsamples = 20\nfeatures = 2\n", "evaluation.toml");
  const auto& data = data_of(scn);
  auto model = sim::make_model(scn.model, data.train.features());
  auto e = sim::evaluate(*model, data,
                         sim::vector::Zero(static_cast<Eigen::Index>(model->parameters())));
  CHECK(!e.test_loss);
  CHECK(!e.test_accuracy);
}

}
