// Test support: a run's final parameters, and their comparison with an independent
// computation to 1e-12 relative.
#pragma once

#include "tests/support/run_files.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace psim::test {

/// summary.json's `params` of the run in `dir`.
inline std::vector<double> params_of(const std::string& dir) {
  return read_summary(dir)["params"].get<std::vector<double>>();
}

/// Checks that `x` equals `y` entry by entry to 1e-12 relative.
inline void check_close(const std::vector<double>& x, const std::vector<double>& y) {
  REQUIRE(x.size() == y.size());
  for (std::size_t i = 0; i < x.size(); ++i)
    CHECK(std::abs(x[i] - y[i]) <= 1e-12 * std::max(std::abs(y[i]), 1e-300));
}

} // namespace psim::test
