// Models: a loss over a batch and its exact gradient, computed with Eigen products.
#pragma once

#include "sim/dataset.hpp"
#include "sim/random.hpp"

#include <memory>
#include <string>
#include <vector>

namespace psim::sim {

/// What a scenario's [model] table says.
struct model_config {
  std::string kind = "linear_regression"; ///< linear_regression (more come with issue 5)
  bool bias = true;                       ///< learn an intercept
  std::vector<std::size_t> hidden;        ///< mlp hidden layer sizes
  std::string activation = "relu";        ///< mlp activation
  double l2 = 0;                          ///< penalty (l2/2)|w|^2, bias excluded
};

/// A differentiable model with a flat parameter vector. Not thread-safe: each actor
/// owns its own instance (it keeps scratch buffers so that gradients allocate nothing).
class model {
public:
  virtual ~model() = default;

  /// Number of parameters (for linear models: the weights, then the bias).
  virtual std::size_t parameters() const = 0;

  /// The reported loss of `theta` on `b` (without the l2 penalty).
  virtual double loss(const vector& theta, const batch& b) const = 0;

  /// Writes the exact gradient of loss + (l2/2)|w|^2 at `theta` on `b` into `out`.
  virtual void gradient(const vector& theta, const batch& b, Eigen::Ref<vector> out) const = 0;

  /// Share of correct predictions on `b`; negative when the model has no classes.
  virtual double accuracy(const vector& theta, const batch& b) const;

  /// The starting parameters (zeros unless the model needs random ones).
  virtual vector initial_parameters(random_stream& rng) const;
};

/// Builds the model `config` describes for samples with `features` features.
std::unique_ptr<model> make_model(const model_config& config, std::size_t features);

} // namespace psim::sim
