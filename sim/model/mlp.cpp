// A multilayer perceptron: hidden layers with relu or tanh, then a softmax output with
// the mean cross-entropy (classes > 0) or one linear output with the mean squared error
// (classes = 0). Forward and backward passes are whole-batch Eigen products.
#include "sim/model/model_parts.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace psim::sim::detail {

namespace {

/// One layer's place in the flat parameter vector: out x in weights, then out biases.
struct layer {
  Eigen::Index in = 0;
  Eigen::Index out = 0;
  Eigen::Index offset = 0;
  mutable matrix activation; // scratch: this layer's outputs, one row per sample
  mutable matrix delta;      // scratch: d loss / d (this layer's pre-activations)
};

class mlp final : public model {
public:
  mlp(const model_config& config, std::size_t features)
    : classes_(static_cast<Eigen::Index>(config.classes)), bias_(config.bias),
      tanh_(config.activation == "tanh"), l2_(config.l2) {
    Eigen::Index in = static_cast<Eigen::Index>(features);
    Eigen::Index offset = 0;
    auto add = [&](Eigen::Index out) {
      layers_.push_back(layer{in, out, offset, {}, {}});
      offset += out * in + (bias_ ? out : 0);
      in = out;
    };
    for (auto width : config.hidden)
      add(static_cast<Eigen::Index>(width));
    add(classes_ > 0 ? classes_ : 1);
    parameters_ = offset;
  }

  std::size_t parameters() const override { return static_cast<std::size_t>(parameters_); }

  double loss(const vector& theta, const batch& b) const override {
    if (b.rows() == 0)
      return 0;
    forward(theta, b);
    return output_loss(b);
  }

  void gradient(const parameters_view& theta, const batch& b,
                Eigen::Ref<vector> out) const override {
    if (b.rows() == 0) {
      out.setZero();
      return;
    }
    const Eigen::Index n = b.x.rows();
    backward(theta, b);
    if (n == 1) { // a pass fewer over each layer's weights, same bits
      gradient_window w{0, out};
      write_one_row(w, [&](std::size_t l) { return layers_[l].delta.row(0); },
                    [&](std::size_t l) { return input_row(b, l); });
    } else {
      for (std::size_t l = 0; l < layers_.size(); ++l) {
        const auto& cur = layers_[l];
        auto d = cur.delta.topRows(n);
        Eigen::Map<matrix> grad_w(out.data() + cur.offset, cur.out, cur.in);
        if (l == 0)
          grad_w.noalias() = d.transpose() * b.x;
        else
          grad_w.noalias() = d.transpose() * layers_[l - 1].activation.topRows(n);
        if (bias_)
          out.segment(cur.offset + cur.out * cur.in, cur.out) = d.colwise().sum().transpose();
      }
    }
    if (l2_ != 0)
      for (const auto& cur : layers_) {
        Eigen::Map<matrix> grad_w(out.data() + cur.offset, cur.out, cur.in);
        grad_w += l2_ * weights(theta, cur);
      }
  }

  /// One row and no l2: each layer's delta, then each hidden layer's activation.
  Eigen::Index residual_size(const batch& b) const override {
    if (b.x.rows() != 1 || l2_ != 0)
      return 0;
    Eigen::Index size = 0;
    for (const auto& cur : layers_)
      size += 2 * cur.out;
    return size - layers_.back().out;
  }

  void residual(const parameters_view& theta, const batch& b, Eigen::Ref<vector> r) const override {
    backward(theta, b);
    Eigen::Index at = 0;
    for (const auto& cur : layers_) {
      r.segment(at, cur.out) = cur.delta.row(0).transpose();
      at += cur.out;
    }
    for (std::size_t l = 0; l + 1 < layers_.size(); ++l) {
      r.segment(at, layers_[l].out) = layers_[l].activation.row(0).transpose();
      at += layers_[l].out;
    }
  }

  void write_window(const Eigen::Ref<const vector>& r, const batch& b,
                    gradient_window& w) const override {
    // Where each layer's delta and each hidden layer's activation start in `r`.
    auto delta_at = [&](std::size_t l) {
      Eigen::Index at = 0;
      for (std::size_t k = 0; k < l; ++k)
        at += layers_[k].out;
      return at;
    };
    auto activations = delta_at(layers_.size());
    write_one_row(
      w,
      [&](std::size_t l) { return r.segment(delta_at(l), layers_[l].out).transpose(); },
      [&](std::size_t l) -> Eigen::Ref<const Eigen::RowVectorXd> {
        if (l == 0)
          return b.x.row(0);
        return r.segment(activations + delta_at(l - 1), layers_[l - 1].out).transpose();
      });
  }

  double accuracy(const vector& theta, const batch& b) const override {
    if (classes_ == 0)
      return -1;
    forward(theta, b);
    return argmax_accuracy(layers_.back().activation.topRows(b.x.rows()), b.y);
  }

  vector initial_parameters(random_stream& rng) const override {
    // Glorot-uniform weights, zero biases.
    vector theta = vector::Zero(parameters_);
    for (const auto& cur : layers_) {
      double limit = std::sqrt(6.0 / static_cast<double>(cur.in + cur.out));
      for (Eigen::Index i = 0; i < cur.out * cur.in; ++i)
        theta[cur.offset + i] = limit * (2 * rng.uniform() - 1);
    }
    return theta;
  }

private:
  static Eigen::Map<const matrix> weights(const parameters_view& theta, const layer& cur) {
    return {theta.data() + cur.offset, cur.out, cur.in};
  }

  /// Fills every layer's activation for the batch; the output layer keeps its logits.
  void forward(const parameters_view& theta, const batch& b) const {
    const Eigen::Index n = b.x.rows();
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      const auto& cur = layers_[l];
      auto a = scratch_rows(cur.activation, n, cur.out);
      if (l == 0)
        a.noalias() = b.x * weights(theta, cur).transpose();
      else
        a.noalias() = layers_[l - 1].activation.topRows(n) * weights(theta, cur).transpose();
      if (bias_)
        a.rowwise() += theta.segment(cur.offset + cur.out * cur.in, cur.out).transpose();
      if (l + 1 == layers_.size())
        break;
      if (tanh_)
        a = a.array().tanh();
      else
        a = a.array().max(0.0);
    }
  }

  /// forward(), then every layer's delta, d loss / d (its pre-activations), in scratch.
  void backward(const parameters_view& theta, const batch& b) const {
    const Eigen::Index n = b.x.rows();
    forward(theta, b);
    output_loss(b);
    auto& top = layers_.back();
    auto delta = scratch_rows(top.delta, n, top.out);
    if (classes_ > 0) {
      delta = top.activation.topRows(n);
      cross_entropy_gradient(delta, b.y);
    } else {
      delta.col(0) = (2.0 / static_cast<double>(n)) * (top.activation.col(0).head(n) - b.y);
    }
    for (std::size_t l = layers_.size() - 1; l > 0; --l) {
      // Back through the weights, then through the activation of the layer below.
      const auto& below = layers_[l - 1];
      auto d_below = scratch_rows(below.delta, n, below.out);
      d_below.noalias() = layers_[l].delta.topRows(n) * weights(theta, layers_[l]);
      auto a = below.activation.topRows(n).array();
      if (tanh_)
        d_below.array() *= 1.0 - a.square();
      else
        d_below.array() *= (a > 0).cast<double>();
    }
  }

  /// The row layer `l` reads: the batch's, or the activation of the layer below.
  Eigen::Ref<const Eigen::RowVectorXd> input_row(const batch& b, std::size_t l) const {
    if (l == 0)
      return b.x.row(0);
    return layers_[l - 1].activation.row(0);
  }

  /// The part in `w` of the gradient on one row, from each layer's delta and input rows,
  /// with the bits of Eigen's d^T a (outer_product_part); the biases are the delta.
  template <class Delta, class Input>
  void write_one_row(gradient_window& w, Delta delta_of, Input input_of) const {
    for (std::size_t l = 0; l < layers_.size(); ++l) {
      const auto& cur = layers_[l];
      Eigen::Ref<const Eigen::RowVectorXd> d = delta_of(l);
      outer_product_part(w, cur.offset, d, input_of(l));
      if (bias_)
        write_part(w, cur.offset + cur.out * cur.in, d.transpose());
    }
  }

  /// The loss of the output layer's logits; with classes they become probabilities.
  double output_loss(const batch& b) const {
    const Eigen::Index n = b.x.rows();
    auto& top = layers_.back();
    if (classes_ > 0)
      return softmax_cross_entropy(top.activation.topRows(n), b.y, scratch_head(row_, n));
    return (top.activation.col(0).head(n) - b.y).squaredNorm() / static_cast<double>(n);
  }

  Eigen::Index classes_;
  bool bias_;
  bool tanh_;
  double l2_;
  Eigen::Index parameters_ = 0;
  std::vector<layer> layers_;
  mutable vector row_; // scratch, so that gradient() allocates nothing when warm
};

} // namespace

std::unique_ptr<model> make_mlp(const model_config& config, std::size_t features) {
  if (config.hidden.empty())
    throw std::invalid_argument("mlp needs at least one hidden layer");
  for (auto width : config.hidden)
    if (width == 0)
      throw std::invalid_argument("mlp hidden layers need at least one unit");
  if (config.activation != "relu" && config.activation != "tanh")
    throw std::invalid_argument("mlp activation \"" + config.activation
                                + "\" is not relu or tanh");
  if (config.classes == 1)
    throw std::invalid_argument("mlp needs 0 classes (regression) or at least 2");
  return std::make_unique<mlp>(config, features);
}

} // namespace psim::sim::detail
