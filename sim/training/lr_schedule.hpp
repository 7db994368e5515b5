// Learning-rate schedules: the step size as a function of the version being updated.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace psim::sim {

/// The shape of a learning-rate schedule (training.lr_schedule).
enum class schedule_kind { constant, inverse_sqrt, step };

/// Every schedule kind with its name as scenario files write it.
inline constexpr std::array<std::pair<schedule_kind, std::string_view>, 3> schedule_names{{
  {schedule_kind::constant, "constant"},
  {schedule_kind::inverse_sqrt, "inverse_sqrt"},
  {schedule_kind::step, "step"},
}};

/// The schedule kind called `name`, if there is one.
inline std::optional<schedule_kind> schedule_kind_named(std::string_view name) {
  for (const auto& [kind, text] : schedule_names)
    if (text == name)
      return kind;
  return std::nullopt;
}

/// How the learning rate changes with the version.
struct lr_schedule {
  schedule_kind kind = schedule_kind::constant; ///< constant | inverse_sqrt | step
  double scale = 1000;           ///< inverse_sqrt: lr / sqrt(1 + v / scale)
  std::uint64_t every = 1000;    ///< step: multiply by `factor` every `every` versions
  double factor = 0.5;           ///< step: the factor

  /// The learning rate for the update from version `v`, given the base rate `lr`.
  double at(double lr, std::uint64_t v) const {
    switch (kind) {
      case schedule_kind::inverse_sqrt:
        return lr / std::sqrt(1 + static_cast<double>(v) / scale);
      case schedule_kind::step:
        return lr * std::pow(factor, static_cast<double>(v / every));
      case schedule_kind::constant:
        break;
    }
    return lr;
  }
};

} // namespace psim::sim
