// Learning-rate schedules: the step size as a function of the version being updated.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>

namespace psim::sim {

/// How the learning rate changes with the version.
struct lr_schedule {
  std::string kind = "constant"; ///< constant | inverse_sqrt | step
  double scale = 1000;           ///< inverse_sqrt: lr / sqrt(1 + v / scale)
  std::uint64_t every = 1000;    ///< step: multiply by `factor` every `every` versions
  double factor = 0.5;           ///< step: the factor

  /// The learning rate for the update from version `v`, given the base rate `lr`.
  double at(double lr, std::uint64_t v) const {
    if (kind == "inverse_sqrt")
      return lr / std::sqrt(1 + static_cast<double>(v) / scale);
    if (kind == "step")
      return lr * std::pow(factor, static_cast<double>(v / every));
    return lr;
  }
};

} // namespace psim::sim
