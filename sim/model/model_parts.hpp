// Internal to the models: the factory of each kind, growable scratch rows, and the
// softmax cross-entropy shared by softmax regression and the MLP's output layer.
#pragma once

#include "sim/model/model.hpp"

#include <algorithm>
#include <memory>
#include <utility>

namespace psim::sim::detail {

/// Entries [begin, begin + out.size()) of a gradient: the part of it a model writes,
/// as it is, or (`from` set) as plain SGD's step by factor times it, out = from - rate *
/// (g * factor), in the same pass and with the bits of writing g, scaling it and stepping.
struct gradient_window {
  Eigen::Index begin;            ///< the gradient's entry that out[0] holds
  Eigen::Ref<vector> out;        ///< the part, or the parameters stepped
  const double* from = nullptr;  ///< the parameters stepped from (may be out's); nullptr:
                                 ///< out is the gradient
  double rate = 0;               ///< the step size, when stepping
  double factor = 1;             ///< a scale of the gradient, when stepping

  /// The entries [at + first, at + last) of the block [at, at + count) that lie in the
  /// window, as {first, last}; first >= last when none does.
  std::pair<Eigen::Index, Eigen::Index> overlap(Eigen::Index at, Eigen::Index count) const {
    return {std::max<Eigen::Index>(begin - at, 0),
            std::min<Eigen::Index>(begin + out.size() - at, count)};
  }

  /// Puts `g` as the gradient's entries [at + first, at + last).
  template <class G>
  void put(Eigen::Index at, Eigen::Index first, Eigen::Index last, const G& g) {
    auto i = at + first - begin;
    auto part = out.segment(i, last - first).array();
    if (from == nullptr) {
      part = g.array();
      return;
    }
    auto old = Eigen::Map<const vector>(from + i, last - first).array();
    if (factor == 1)
      part = old - rate * g.array();
    else
      part = old - rate * (g.array() * factor);
  }

  /// Puts `x` as the gradient's entry `i` (which lies in the window).
  void put(Eigen::Index i, double x) {
    auto& o = out[i - begin];
    o = from == nullptr ? x : from[i - begin] - rate * (factor == 1 ? x : x * factor);
  }
};

/// Writes `v` as the entries [at, at + v.size()), as far as they lie in `w`.
inline void write_part(gradient_window& w, Eigen::Index at, const Eigen::Ref<const vector>& v) {
  auto [first, last] = w.overlap(at, v.size());
  if (first < last)
    w.put(at, first, last, v.segment(first, last - first));
}

/// Writes `x` as the entry `at`, if it lies in `w`.
inline void write_part(gradient_window& w, Eigen::Index at, double x) {
  auto [first, last] = w.overlap(at, 1);
  if (first < last)
    w.put(at, x);
}

/// Writes scale * x^T r for a batch of one row x as the entries [0, x.size()), as far as
/// they lie in `w`, in one pass; Eigen's GEMV would zero the result and add to it:
/// 0 + (0 + x_j r) scale, the same bits as x_j r scale + 0.0 (a negative zero turns
/// positive). `scale` is 1 or 2 here, so no order rounds differently.
inline void one_row_gradient(gradient_window& w, const batch& b, double r, double scale) {
  auto [first, last] = w.overlap(0, b.x.cols());
  if (first < last)
    w.put(0, first, last,
          ((b.x.row(0).segment(first, last - first).transpose() * r) * scale).array() + 0.0);
}

/// Writes the matrix d^T a of one row, row by row, as the entries from `at`, as far as
/// they lie in `w`, in one pass with the bits of Eigen's product: each entry d_k a_j, a
/// negative zero turned positive (`+ 0.0`) where Eigen zeroes the result and adds the
/// product to it (a GEMM or GEMV: 1 + rows + columns >= 20), kept where it takes its
/// coefficient path.
inline void outer_product_part(gradient_window& w, Eigen::Index at,
                               const Eigen::Ref<const Eigen::RowVectorXd>& d,
                               const Eigen::Ref<const Eigen::RowVectorXd>& a) {
  const auto rows = d.size();
  const auto cols = a.size();
  auto [first, last] = w.overlap(at, rows * cols);
  bool zeroed = 1 + rows + cols >= 20;
  for (auto k = first / cols; first < last && k < rows && k * cols < last; ++k) {
    auto from = std::max<Eigen::Index>(first - k * cols, 0);
    auto to = std::min<Eigen::Index>(last - k * cols, cols);
    auto a_part = a.segment(from, to - from).transpose();
    if (zeroed)
      w.put(at + k * cols, from, to, (d[k] * a_part).array() + 0.0);
    else
      w.put(at + k * cols, from, to, d[k] * a_part);
  }
}

/// What the linear models share: weights for each feature, then an optional bias, with
/// an optional L2 penalty on the weights; and their gradient, factor / n X^T r from the
/// rows' residuals r (written in one pass for one row, which is also its residual form).
class linear_model : public model {
public:
  /// A model of `features` weights (and a bias when `bias`), penalty `l2`, whose loss's
  /// derivative in a row's prediction is `factor` times its residual.
  linear_model(std::size_t features, bool bias, double l2, double factor)
    : features_(static_cast<Eigen::Index>(features)), bias_(bias), l2_(l2), factor_(factor) {}

  /// Weights, then the bias if any.
  std::size_t parameters() const override {
    return static_cast<std::size_t>(features_) + (bias_ ? 1 : 0);
  }

  void gradient(const parameters_view& theta, const batch& b,
                Eigen::Ref<vector> out) const override {
    if (b.rows() == 0) {
      out.setZero();
      return;
    }
    auto r = residuals(theta, b);
    auto grad_w = out.head(features_);
    if (b.x.rows() == 1) { // a pass fewer over the weights, same bits
      gradient_from(r, b, out);
    } else {
      double scale = factor_ / static_cast<double>(b.rows());
      grad_w.noalias() = scale * (b.x.transpose() * r);
      if (bias_)
        out[features_] = scale * r.sum();
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

protected:
  /// One row: factor r x, and factor r for the bias (the sum of one residual is itself).
  void write_window(const Eigen::Ref<const vector>& r, const batch& b,
                    gradient_window& w) const override {
    one_row_gradient(w, b, r[0], factor_);
    if (bias_)
      write_part(w, features_, factor_ * r[0]);
  }

  /// Each row's residual at `theta`, in scratch that grows only when a batch is larger.
  virtual Eigen::Ref<vector> residuals(const parameters_view& theta, const batch& b) const = 0;

  Eigen::Index features_; ///< number of weights
  bool bias_;             ///< a bias parameter follows the weights
  double l2_;             ///< L2 penalty on the weights
  double factor_;         ///< 2 for the squared error, 1 for the log-loss
};

/// Least squares: mean of (x.w + b - y)^2.
std::unique_ptr<model> make_linear_regression(const model_config& config,
                                              std::size_t features);

/// Logistic regression: mean log-loss of sigmoid(x.w + b), labels 0/1 or -1/+1.
std::unique_ptr<model> make_logistic_regression(const model_config& config,
                                                std::size_t features);

/// Softmax regression over config.classes classes (labels 0..K-1).
std::unique_ptr<model> make_softmax_regression(const model_config& config,
                                               std::size_t features);

/// A multilayer perceptron with config.hidden layers and a softmax or linear output.
std::unique_ptr<model> make_mlp(const model_config& config, std::size_t features);

/// The first `rows` rows of `buffer`, which grows (never shrinks) to hold them, so that
/// batches of varying sizes reuse one allocation.
inline auto scratch_rows(matrix& buffer, Eigen::Index rows, Eigen::Index cols) {
  if (buffer.rows() < rows || buffer.cols() != cols)
    buffer.resize(std::max(rows, buffer.rows()), cols);
  return buffer.topRows(rows);
}

/// The first `rows` entries of `buffer`, which grows (never shrinks) to hold them.
inline auto scratch_head(vector& buffer, Eigen::Index rows) {
  if (buffer.size() < rows)
    buffer.resize(rows);
  return buffer.head(rows);
}

/// Turns each row of `logits` into softmax probabilities in place and returns the mean
/// cross-entropy against `labels` (class indices); `row_scratch` holds one value per row.
/// Throws std::out_of_range for a label that is not a class index.
double softmax_cross_entropy(Eigen::Ref<matrix> logits, const Eigen::Ref<const vector>& labels,
                             Eigen::Ref<vector> row_scratch);

/// Turns the probabilities softmax_cross_entropy left into the gradient of the mean
/// cross-entropy with respect to the logits: (P - onehot(labels)) / rows.
void cross_entropy_gradient(Eigen::Ref<matrix> probabilities,
                            const Eigen::Ref<const vector>& labels);

/// Share of rows whose largest score is at the column their label names.
double argmax_accuracy(const Eigen::Ref<const matrix>& scores,
                       const Eigen::Ref<const vector>& labels);

} // namespace psim::sim::detail
