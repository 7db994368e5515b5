// Softmax regression over K classes: logits Z = X W^T + 1 b^T, mean cross-entropy,
// gradient (P - Y)^T X / n, all as whole-batch Eigen products.
#include "sim/model/model_parts.hpp"

#include <stdexcept>
#include <string>

namespace psim::sim::detail {

namespace {

/// Parameters: the K x d weights row by row (one row per class), then K biases.
class softmax_regression final : public model {
public:
  softmax_regression(std::size_t features, std::size_t classes, bool bias, double l2)
    : features_(static_cast<Eigen::Index>(features)),
      classes_(static_cast<Eigen::Index>(classes)), bias_(bias), l2_(l2) {}

  std::size_t parameters() const override {
    return static_cast<std::size_t>(classes_ * features_ + (bias_ ? classes_ : 0));
  }

  double loss(const vector& theta, const batch& b) const override {
    auto z = logits(theta, b);
    return softmax_cross_entropy(z, b.y, scratch_head(row_, b.x.rows()));
  }

  void gradient(const parameters_view& theta, const batch& b,
                Eigen::Ref<vector> out) const override {
    auto z = logit_gradient(theta, b);
    Eigen::Map<matrix> grad_w(out.data(), classes_, features_);
    if (one_pass(b)) {
      gradient_from(z.row(0).transpose(), b, out);
    } else {
      grad_w.noalias() = z.transpose() * b.x;
      if (bias_)
        out.tail(classes_) = z.colwise().sum().transpose();
    }
    if (l2_ != 0)
      grad_w += l2_ * weights(theta);
  }

  Eigen::Index residual_size(const batch& b) const override {
    return one_pass(b) && l2_ == 0 ? classes_ : 0;
  }

  void residual(const parameters_view& theta, const batch& b, Eigen::Ref<vector> r) const override {
    r = logit_gradient(theta, b).row(0).transpose();
  }

  /// One row: z^T x in one pass, and z for the biases (a sum of one row is the row).
  void write_window(const Eigen::Ref<const vector>& r, const batch& b,
                    gradient_window& w) const override {
    outer_product_part(w, 0, r.transpose(), b.x.row(0));
    if (bias_)
      write_part(w, classes_ * features_, r);
  }

  double accuracy(const vector& theta, const batch& b) const override {
    return argmax_accuracy(logits(theta, b), b.y);
  }

private:
  /// True when Eigen would compute Z^T X as a GEMM that zeroes the K x d result and then
  /// adds the product to it (one row, and a product too big for its coefficient path:
  /// rows + K + d >= 20, and K, d > 1, else it takes a GEMV): then one pass writing z_k x_j
  /// gives the same bits and spares a pass over the whole gradient.
  bool one_pass(const batch& b) const {
    return b.x.rows() == 1 && 1 + classes_ + features_ >= 20 && classes_ > 1 && features_ > 1;
  }

  Eigen::Map<const matrix> weights(const parameters_view& theta) const {
    return {theta.data(), classes_, features_};
  }

  /// The gradient of the mean cross-entropy with respect to the logits, (P - Y) / n.
  Eigen::Ref<matrix> logit_gradient(const parameters_view& theta, const batch& b) const {
    auto z = logits(theta, b);
    softmax_cross_entropy(z, b.y, scratch_head(row_, b.x.rows()));
    cross_entropy_gradient(z, b.y);
    return z;
  }

  /// Z = X W^T (+ b) for the batch, in scratch that grows only for larger batches.
  Eigen::Ref<matrix> logits(const parameters_view& theta, const batch& b) const {
    auto z = scratch_rows(logit_, b.x.rows(), classes_);
    z.noalias() = b.x * weights(theta).transpose();
    if (bias_)
      z.rowwise() += theta.tail(classes_).transpose();
    return z;
  }

  Eigen::Index features_;
  Eigen::Index classes_;
  bool bias_;
  double l2_;
  mutable matrix logit_; // scratch, so that gradient() allocates nothing when warm
  mutable vector row_;
};

} // namespace

std::unique_ptr<model> make_softmax_regression(const model_config& config,
                                               std::size_t features) {
  if (config.classes < 2)
    throw std::invalid_argument("softmax_regression needs at least 2 classes (classes = "
                                + std::to_string(config.classes) + ")");
  return std::make_unique<softmax_regression>(features, config.classes, config.bias, config.l2);
}

} // namespace psim::sim::detail
