// Models: a loss over a batch and its exact gradient, computed with Eigen products on
// the whole batch. Parameter layouts (the order of the flat vector) are documented on
// model_config and in the README.
#pragma once

#include "sim/data/dataset.hpp"
#include "sim/random/random.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace psim::sim {

namespace detail {
struct gradient_window;
} // namespace detail

/// What a scenario's [model] table says. Flat parameter layouts, d = features:
/// - linear_regression, logistic_regression: w[0..d), then the bias.
/// - softmax_regression (K = classes): the K x d weight matrix row by row (class 0's d
///   weights first), then the K biases.
/// - mlp: layer by layer from the input, each layer's out x in weight matrix row by row
///   (one row per unit of the layer), then its out biases; the output layer has K
///   units (softmax) or 1 (linear, when classes = 0).
/// Without `bias` the biases are left out of every layout.
struct model_config {
  std::string kind = "linear_regression"; ///< linear_regression | logistic_regression |
                                          ///< softmax_regression | mlp
  bool bias = true;                       ///< learn intercepts
  std::vector<std::size_t> hidden;        ///< mlp hidden layer sizes
  std::string activation = "relu";        ///< mlp activation: relu | tanh
  double l2 = 0;                          ///< penalty (l2/2)|w|^2, biases excluded
  std::size_t classes = 0;                ///< softmax_regression, mlp: labels are
                                          ///< 0..classes-1; 0 = mlp regression
  std::uint64_t wire_bytes = 0;           ///< payload bytes of the whole parameter vector
                                          ///< on the links; 0 = 8 per parameter
};

/// Read-only parameters wherever they lie: a vector, or a message's memory mapped in place.
using parameters_view = Eigen::Ref<const vector>;

/// A differentiable model with a flat parameter vector. Not thread-safe: each actor
/// owns its own instance (it keeps scratch buffers so that gradients allocate nothing).
class model {
public:
  virtual ~model() = default;

  /// Number of parameters (for linear models: the weights, then the bias).
  virtual std::size_t parameters() const = 0;

  /// The reported loss of `theta` on `b` (without the l2 penalty): the mean squared
  /// error, the mean log-loss or the mean cross-entropy.
  virtual double loss(const vector& theta, const batch& b) const = 0;

  /// Writes the exact gradient of loss + (l2/2)|w|^2 at `theta` on `b` into `out`;
  /// `theta` may be any contiguous memory (a received message's, read in place).
  virtual void gradient(const parameters_view& theta, const batch& b,
                        Eigen::Ref<vector> out) const = 0;

  /// The gradient in two halves, for a worker that computes on parameters it then lets
  /// go of and writes the gradient later (so that 16 big gradients are not held in
  /// flight): how many numbers the gradient on `b` is written from without θ, its
  /// residual; 0 when it needs θ (more than one row, an l2 penalty, or a hidden layer).
  virtual Eigen::Index residual_size(const batch& b) const;

  /// Writes the residual of `theta` on `b` (residual_size(b) numbers) into `r`.
  virtual void residual(const parameters_view& theta, const batch& b, Eigen::Ref<vector> r) const;

  /// Writes the gradient on `b` from its residual `r` into `out`: gradient()'s bits.
  void gradient_from(const Eigen::Ref<const vector>& r, const batch& b,
                     Eigen::Ref<vector> out) const {
    gradient_part(r, b, 0, out);
  }

  /// Writes entries [begin, begin + out.size()) of that gradient into `out`, with the
  /// same bits: a server steps θ by it a part at a time, never holding it whole.
  void gradient_part(const Eigen::Ref<const vector>& r, const batch& b, Eigen::Index begin,
                     Eigen::Ref<vector> out) const;

  /// Plain SGD's step by `factor` times that gradient, in the same pass as writing it:
  /// to = from - rate * (g * factor) over entries [begin, begin + to.size()), with the
  /// bits of gradient_part, scaling and stepping (`from` and `to` may be the same).
  void descend_part(const Eigen::Ref<const vector>& r, const batch& b, Eigen::Index begin,
                    double factor, double rate, const Eigen::Ref<const vector>& from,
                    Eigen::Ref<vector> to) const;

  /// Share of correct predictions on `b`; negative when the model has no classes.
  virtual double accuracy(const vector& theta, const batch& b) const;

  /// The starting parameters (zeros unless the model needs random ones).
  virtual vector initial_parameters(random_stream& rng) const;

protected:
  /// Puts the entries of the one-row gradient from residual `r` that `w` covers (the
  /// models with a residual form; the default throws std::logic_error).
  virtual void write_window(const Eigen::Ref<const vector>& r, const batch& b,
                            detail::gradient_window& w) const;
};

/// Builds the model `config` describes for samples with `features` features; throws
/// std::invalid_argument for an unknown kind or a configuration the kind cannot take.
std::unique_ptr<model> make_model(const model_config& config, std::size_t features);

} // namespace psim::sim
