// Binary logistic regression: p = sigmoid(x.w + b), mean log-loss against labels 0/1
// or -1/+1 (a label > 0 is the positive class), gradient X^T (p - t) / n.
#include "sim/model/model_parts.hpp"

#include <cmath>

namespace psim::sim::detail {

namespace {

class logistic_regression final : public linear_model {
public:
  /// Log-loss of the sigmoid: its derivative in a margin is r.
  logistic_regression(std::size_t features, bool bias, double l2)
    : linear_model(features, bias, l2, 1.0) {}

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
  Eigen::Ref<vector> residuals(const parameters_view& theta, const batch& b) const override {
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
