// The worker's own arithmetic on its parameters: a plain SGD step (local_update and
// local_sgd) and the ring's batch-weighted average step (allreduce).
#pragma once

#include "sim/model/model.hpp"

namespace psim::sim {

/// One SGD step in place: theta -= rate * gradient.
inline void sgd_step(vector& theta, Eigen::Ref<const vector> gradient, double rate) {
  theta -= rate * gradient;
}

/// The ring's step in place: `sum` holds [sum n_w g_w, sum n_w]; theta moves by
/// `rate` times the batch-weighted average gradient.
inline void average_step(vector& theta, const vector& sum, double rate) {
  auto params = theta.size();
  theta -= rate / sum[params] * sum.head(params);
}

} // namespace psim::sim
