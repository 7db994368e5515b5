// Test support: the scenario_error that parsing a scenario text gives.
#pragma once

#include "sim/scenario/scenario.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace psim::test {

/// The error parsing `text` (as "s.toml", with `overrides`) gives; fails the test when
/// there is none.
inline sim::scenario_error error_of(const std::string& text,
                                    const std::vector<std::string>& overrides = {}) {
  try {
    sim::parse_scenario(text, "s.toml", overrides);
  } catch (const sim::scenario_error& error) {
    return error;
  }
  FAIL("no scenario_error for: " << text);
  return {"", 0, 0, "", ""};
}

} // namespace psim::test
