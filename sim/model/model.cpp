// Linear regression with squared loss (a whole-batch Eigen product), the defaults of
// the model interface, and make_model, which picks the kind.
#include "sim/model/model.hpp"

#include "sim/model/model_parts.hpp"

#include <stdexcept>

namespace psim::sim {

namespace {

/// Least squares: loss (1/n)|Xw + b - y|^2, parameters [w..., b].
class linear_regression final : public model {
public:
  linear_regression(std::size_t features, bool bias, double l2)
    : features_(static_cast<Eigen::Index>(features)), bias_(bias), l2_(l2) {}

  std::size_t parameters() const override {
    return static_cast<std::size_t>(features_) + (bias_ ? 1 : 0);
  }

  double loss(const vector& theta, const batch& b) const override {
    if (b.rows() == 0)
      return 0;
    return residuals(theta, b).squaredNorm() / static_cast<double>(b.rows());
  }

  void gradient(const vector& theta, const batch& b, Eigen::Ref<vector> out) const override {
    if (b.rows() == 0) {
      out.setZero();
      return;
    }
    auto residual = residuals(theta, b);
    double scale = 2.0 / static_cast<double>(b.rows());
    auto weights = theta.head(features_);
    auto grad_w = out.head(features_);
    grad_w.noalias() = scale * (b.x.transpose() * residual);
    if (l2_ != 0)
      grad_w += l2_ * weights;
    if (bias_)
      out[features_] = scale * residual.sum();
  }

private:
  /// Xw + b - y for every row, in scratch that grows only when a batch is larger.
  Eigen::Ref<vector> residuals(const vector& theta, const batch& b) const {
    auto r = detail::scratch_head(residual_, b.x.rows());
    r.noalias() = b.x * theta.head(features_);
    r -= b.y;
    if (bias_)
      r.array() += theta[features_];
    return r;
  }

  Eigen::Index features_;
  bool bias_;
  double l2_;
  mutable vector residual_; // scratch, so that gradient() allocates nothing when warm
};

} // namespace

double model::accuracy(const vector&, const batch&) const { return -1; }

vector model::initial_parameters(random_stream&) const {
  return vector::Zero(static_cast<Eigen::Index>(parameters()));
}

std::unique_ptr<model> make_model(const model_config& config, std::size_t features) {
  if (config.kind == "linear_regression")
    return std::make_unique<linear_regression>(features, config.bias, config.l2);
  if (config.kind == "logistic_regression")
    return detail::make_logistic_regression(config, features);
  if (config.kind == "softmax_regression")
    return detail::make_softmax_regression(config, features);
  if (config.kind == "mlp")
    return detail::make_mlp(config, features);
  throw std::invalid_argument("unknown model kind \"" + config.kind
                              + "\" (supported: linear_regression, logistic_regression,"
                                " softmax_regression, mlp)");
}

} // namespace psim::sim
