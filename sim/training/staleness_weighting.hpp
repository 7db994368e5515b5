// Staleness weightings (training.staleness_lr): how the rate of one gradient shrinks
// with its staleness tau, before it enters the optimizer.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace psim::sim {

/// A rule that scales a gradient's learning rate by its staleness.
enum class staleness_weighting { none, inverse };

/// The name scenario files write for `weighting`.
std::string_view to_string(staleness_weighting weighting);

/// The weighting called `name`, if there is one.
std::optional<staleness_weighting> staleness_weighting_named(std::string_view name);

/// Every weighting's name, in the order the reference lists them.
std::vector<std::string_view> staleness_weighting_names();

/// The rate of a gradient of staleness `tau` under `weighting`, from the base `rate`.
double weighted_rate(staleness_weighting weighting, double rate, std::uint64_t tau);

} // namespace psim::sim
