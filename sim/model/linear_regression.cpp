// Linear regression with squared loss: a whole-batch Eigen product, and a gradient
// that allocates nothing when warm.
#include "sim/model/model_parts.hpp"

namespace psim::sim::detail {

namespace {

/// Least squares: loss (1/n)|Xw + b - y|^2, parameters [w..., b].
class linear_regression final : public linear_model {
public:
  using linear_model::linear_model;

  double loss(const vector& theta, const batch& b) const override {
    if (b.rows() == 0)
      return 0;
    return residuals(theta, b).squaredNorm() / static_cast<double>(b.rows());
  }

  void gradient(const parameters_view& theta, const batch& b,
                Eigen::Ref<vector> out) const override {
    if (b.rows() == 0) {
      out.setZero();
      return;
    }
    auto residual = residuals(theta, b);
    auto grad_w = out.head(features_);
    if (b.x.rows() == 1) { // a pass fewer over the weights, same bits
      gradient_from(residual, b, out);
    } else {
      double scale = 2.0 / static_cast<double>(b.rows());
      grad_w.noalias() = scale * (b.x.transpose() * residual);
      if (bias_)
        out[features_] = scale * residual.sum();
    }
    if (l2_ != 0)
      grad_w += l2_ * theta.head(features_);
  }

  Eigen::Index residual_size(const batch& b) const override {
    return b.x.rows() == 1 && l2_ == 0 ? 1 : 0;
  }

  void residual(const parameters_view& theta, const batch& b, Eigen::Ref<vector> r) const override {
    r = residuals(theta, b);
  }

  /// One row: 2 r x, and 2 r for the bias (the sum of one residual is itself).
  void gradient_from(const Eigen::Ref<const vector>& r, const batch& b,
                     Eigen::Ref<vector> out) const override {
    one_row_gradient(out.head(features_), b, r[0], 2.0);
    if (bias_)
      out[features_] = 2.0 * r[0];
  }

private:
  /// Xw + b - y for every row, in scratch that grows only when a batch is larger.
  Eigen::Ref<vector> residuals(const parameters_view& theta, const batch& b) const {
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
