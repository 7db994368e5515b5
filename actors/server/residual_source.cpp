// Checks a gradient in residual form against the run before the server expands it: a
// peer's message names a row and sizes that must fit, whoever sent it.
#include "actors/server/residual_source.hpp"

#include <stdexcept>
#include <string>
#include <utility>

namespace psim::actors {

residual_source::residual_source(std::shared_ptr<const sim::scenario> scenario)
  : scenario_(std::move(scenario)) {}

sim::residual_gradient residual_source::gradient_of(const gradient_msg& g, double factor) {
  if (!scenario_)
    throw std::logic_error("a gradient in residual form before the server was set up");
  if (!model_) {
    const auto& scn = *scenario_;
    data_ = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
    model_ = sim::make_model(scn.model, data_->train.features());
  }
  const auto& train = data_->train;
  if (g.row >= train.rows())
    throw std::invalid_argument("a gradient in residual form names row " + std::to_string(g.row)
                                + " of " + std::to_string(train.rows()) + " training rows");
  auto rows = sim::rows_of(train, g.row, 1);
  if (g.entries != model_->parameters()
      || static_cast<Eigen::Index>(g.values.size()) != model_->residual_size(rows))
    throw std::invalid_argument("a gradient in residual form of " + std::to_string(g.entries)
                                + " entries from " + std::to_string(g.values.size())
                                + " numbers does not fit the model");
  Eigen::Map<const sim::vector> residual{g.values.data(),
                                         static_cast<Eigen::Index>(g.values.size())};
  return {*model_, residual, rows, factor};
}

} // namespace psim::actors
