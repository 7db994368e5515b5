// Sampling and exact means of the duration distributions.
#include "sim/random/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace psim::sim {

namespace {

double exponential(random_stream& rng, double mean) {
  return -mean * std::log(1.0 - rng.uniform());
}

/// Mean of normal(mean, std) conditioned on being non-negative.
double truncated_normal_mean(double mean, double std) {
  if (std <= 0)
    return std::max(mean, 0.0);
  constexpr double inv_sqrt_2pi = 0.39894228040143267793994605993438;
  double alpha = -mean / std;
  double density = inv_sqrt_2pi * std::exp(-0.5 * alpha * alpha);
  double upper_tail = 0.5 * std::erfc(alpha / std::sqrt(2.0)); // 1 - Phi(alpha)
  return mean + std * density / upper_tail;
}

} // namespace

double distribution::sample(random_stream& rng) const {
  switch (kind) {
    case dist_kind::constant:
      return a;
    case dist_kind::uniform:
      return a + (b - a) * rng.uniform();
    case dist_kind::exponential:
      return exponential(rng, a);
    case dist_kind::shifted_exponential:
      return a + exponential(rng, b);
    case dist_kind::normal: {
      if (b <= 0)
        return std::max(a, 0.0); // redrawing a negative constant would never end
      double x = a + b * rng.normal();
      while (x < 0)
        x = a + b * rng.normal();
      return x;
    }
    case dist_kind::lognormal:
      return a * std::exp(b * rng.normal());
    case dist_kind::pareto:
      return a / std::pow(1.0 - rng.uniform(), 1.0 / b); // 1 - U lies in (0, 1]
    case dist_kind::empirical:
      if (!samples || samples->empty())
        return 0;
      return (*samples)[rng.below(samples->size())];
  }
  return 0;
}

double distribution::mean() const {
  switch (kind) {
    case dist_kind::constant:
      return a;
    case dist_kind::uniform:
      return (a + b) / 2;
    case dist_kind::exponential:
      return a;
    case dist_kind::shifted_exponential:
      return a + b;
    case dist_kind::normal:
      return truncated_normal_mean(a, b);
    case dist_kind::lognormal:
      return a * std::exp(b * b / 2);
    case dist_kind::pareto:
      if (b <= 1)
        return std::numeric_limits<double>::infinity();
      return a * b / (b - 1);
    case dist_kind::empirical:
      if (!samples || samples->empty())
        return 0;
      return std::accumulate(samples->begin(), samples->end(), 0.0)
             / static_cast<double>(samples->size());
  }
  return 0;
}

std::string to_string(dist_kind kind) {
  switch (kind) {
    case dist_kind::constant:
      return "constant";
    case dist_kind::uniform:
      return "uniform";
    case dist_kind::exponential:
      return "exponential";
    case dist_kind::shifted_exponential:
      return "shifted_exponential";
    case dist_kind::normal:
      return "normal";
    case dist_kind::lognormal:
      return "lognormal";
    case dist_kind::pareto:
      return "pareto";
    case dist_kind::empirical:
      return "empirical";
  }
  return "unknown";
}

} // namespace psim::sim
