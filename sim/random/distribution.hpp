// Random durations: the distributions a scenario may give for compute times and link
// latencies, sampled from a random stream.
#pragma once

#include "sim/random/random.hpp"

#include <memory>
#include <string>
#include <vector>

namespace psim::sim {

/// The families of random durations.
enum class dist_kind {
  constant,            ///< always `a`
  uniform,             ///< uniform in [a, b)
  exponential,         ///< exponential with mean a
  shifted_exponential, ///< a + exponential with mean b
  normal,              ///< normal(mean a, std b) truncated at 0 (redrawn while negative)
  lognormal,           ///< median a, sigma b: a * exp(b * N(0,1))
  pareto,              ///< scale a, shape b: a / U^(1/b)
  empirical,           ///< one of `samples`, uniformly
};

/// A distribution of durations in seconds.
struct distribution {
  dist_kind kind = dist_kind::constant;
  double a = 0;  ///< first parameter (seconds): value, min, mean, shift, median, scale
  double b = 0;  ///< second parameter: max, std, mean of the exponential part, sigma, shape
  std::shared_ptr<const std::vector<double>> samples; ///< empirical samples (seconds)

  /// Draws one duration (seconds, never negative).
  double sample(random_stream& rng) const;

  /// The exact mean of the distribution (infinite for pareto with shape <= 1).
  double mean() const;

  /// True when every draw is 0.
  bool is_zero() const { return kind == dist_kind::constant && a == 0; }

  /// A distribution that always gives `seconds`.
  static distribution fixed(double seconds) { return {dist_kind::constant, seconds, 0, {}}; }
};

/// The name of a distribution kind as scenario files write it ("shifted_exponential").
std::string to_string(dist_kind kind);

} // namespace psim::sim
