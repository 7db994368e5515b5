// Linear regression with squared loss: its residuals Xw + b - y as a whole-batch Eigen
// product, in scratch (the gradient from them is linear_model's).
#include "sim/model/model_parts.hpp"

namespace psim::sim::detail {

namespace {

/// Least squares: loss (1/n)|Xw + b - y|^2, parameters [w..., b].
class linear_regression final : public linear_model {
public:
  /// Squared error: its derivative in a prediction is 2 r.
  linear_regression(std::size_t features, bool bias, double l2)
    : linear_model(features, bias, l2, 2.0) {}

  double loss(const vector& theta, const batch& b) const override {
    if (b.rows() == 0)
      return 0;
    return residuals(theta, b).squaredNorm() / static_cast<double>(b.rows());
  }

private:
  /// Xw + b - y for every row, in scratch that grows only when a batch is larger.
  Eigen::Ref<vector> residuals(const parameters_view& theta, const batch& b) const override {
    auto r = scratch_head(residual_, b.x.rows());
    r.noalias() = b.x * theta.head(features_);
    r -= b.y;
    if (bias_)
      r.array() += theta[features_];
    return r;
  }

  mutable vector residual_; // scratch, so that gradient() allocates nothing when warm
};

} // namespace

std::unique_ptr<model> make_linear_regression(const model_config& config,
                                              std::size_t features) {
  return std::make_unique<linear_regression>(features, config.bias, config.l2);
}

} // namespace psim::sim::detail
