// Staleness weightings (training.staleness_lr): the factor by which a gradient of
// staleness tau is scaled before it enters the optimizer.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace psim::sim {

/// The family of a staleness weighting.
enum class weighting_kind { none, inverse, polynomial, threshold, exponential };

/// A staleness weighting with its parameter.
struct staleness_weighting {
  weighting_kind kind = weighting_kind::none; ///< none | inverse | polynomial | ...
  double a = 0.5;          ///< polynomial: factor 1 / (1 + tau)^a
  std::uint64_t max = 8;   ///< threshold: factor 1 up to max, 0 above
  double base = 0.9;       ///< exponential: factor base^tau
};

/// The name scenario files write for `kind`.
std::string_view to_string(weighting_kind kind);

/// The weighting kind called `name`, if there is one.
std::optional<weighting_kind> weighting_kind_named(std::string_view name);

/// Every weighting kind's name, in the order the reference lists them.
std::vector<std::string_view> weighting_kind_names();

/// The factor (in [0, 1]) that `weighting` gives a gradient of staleness `tau`.
double staleness_factor(const staleness_weighting& weighting, std::uint64_t tau);

} // namespace psim::sim
