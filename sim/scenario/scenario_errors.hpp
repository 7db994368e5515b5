// Every mistake of a scenario at once: psim check and run report them all, in file
// order, instead of one per attempt.
#pragma once

#include "sim/scenario/scenario.hpp"

#include <cstddef>
#include <vector>

namespace psim::sim {

/// The most errors one scenario reports; reading stops at this many.
inline constexpr std::size_t max_scenario_errors = 20;

/// The mistakes of one scenario, in file order (the scenario file's lines, then the
/// --set arguments, then other files). As a scenario_error it is the first of them.
struct scenario_errors : scenario_error {
  /// Holds `all` (at least one), sorted into file order; `source` is the scenario file.
  scenario_errors(std::vector<scenario_error> all, const std::string& source);

  std::vector<scenario_error> errors; ///< each mistake, in file order
};

} // namespace psim::sim
