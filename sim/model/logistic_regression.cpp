// Binary logistic regression: p = sigmoid(x.w + b), mean log-loss against labels 0/1
// or -1/+1 (a label > 0 is the positive class), gradient X^T (p - t) / n.
#include "sim/model/model_parts.hpp"

#include <cmath>

namespace psim::sim::detail {

namespace {

class logistic_regression final : public linear_model {
public:
  using linear_model::linear_model;

  double loss(const vector& theta, const batch& b) const override {
    if (b.rows() == 0)
      return 0;
    auto z = margins(theta, b);
    auto t = targets(b);
    // log(1 + e^z) - t z, written so that neither exponential can overflow.
    double total = (z.array().max(0.0) - t.array() * z.array()
                    + (-z.array().abs()).exp().log1p())
                     .sum();
    return total / static_cast<double>(b.rows());
  }

  void gradient(const parameters_view& theta, const batch& b,
                Eigen::Ref<vector> out) const override {
    if (b.rows() == 0) {
      out.setZero();
      return;
    }
    auto z = residuals(theta, b);
    auto grad_w = out.head(features_);
    if (b.x.rows() == 1) { // a pass fewer over the weights, same bits
      gradient_from(z, b, out);
    } else {
      double scale = 1.0 / static_cast<double>(b.rows());
      grad_w.noalias() = scale * (b.x.transpose() * z);
      if (bias_)
        out[features_] = scale * z.sum();
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

  /// One row: r x, and r for the bias (the sum of one residual is itself).
  void gradient_from(const Eigen::Ref<const vector>& r, const batch& b,
                     Eigen::Ref<vector> out) const override {
    one_row_gradient(out.head(features_), b, r[0], 1.0);
    if (bias_)
      out[features_] = 1.0 * r[0];
  }

  double accuracy(const vector& theta, const batch& b) const override {
    if (b.rows() == 0)
      return 0;
    auto z = margins(theta, b);
    auto t = targets(b);
    auto correct = ((z.array() > 0) == (t.array() > 0.5)).count();
    return static_cast<double>(correct) / static_cast<double>(b.rows());
  }

private:
  /// x.w + b for every row, in scratch that grows only when a batch is larger.
  Eigen::Ref<vector> margins(const parameters_view& theta, const batch& b) const {
    auto z = scratch_head(margin_, b.x.rows());
    z.noalias() = b.x * theta.head(features_);
    if (bias_)
      z.array() += theta[features_];
    return z;
  }

  /// sigmoid(x.w + b) - t for every row (1/(1 + e^-z) is safe for any z), in the margins'
  /// scratch.
  Eigen::Ref<vector> residuals(const parameters_view& theta, const batch& b) const {
    auto z = margins(theta, b);
    auto t = targets(b);
    z = (1.0 + (-z.array()).exp()).inverse().matrix() - t;
    return z;
  }

  /// The 0/1 target of every row: 1 where the label is positive.
  Eigen::Ref<vector> targets(const batch& b) const {
    auto t = scratch_head(target_, b.x.rows());
    t = (b.y.array() > 0).cast<double>().matrix();
    return t;
  }

  mutable vector margin_; // scratch, so that gradient() allocates nothing when warm
  mutable vector target_;
};

} // namespace

std::unique_ptr<model> make_logistic_regression(const model_config& config,
                                                std::size_t features) {
  return std::make_unique<logistic_regression>(features, config.bias, config.l2);
}

} // namespace psim::sim::detail
