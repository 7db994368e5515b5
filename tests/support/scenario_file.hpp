// Test support: runs one of the scenarios/ files through the psim program, as a user would.
#pragma once

#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

#include <string>

namespace psim::test {

/// Runs scenarios/<file> quietly with `extra` arguments (--set ...), which must succeed;
/// returns the run folder. Name the file as a string: scenarios_test looks for the name.
inline std::string run_scenario_file(const std::string& file, const std::string& extra = "") {
  auto dir = temp_folder("scenario");
  auto r = run_psim("run scenarios/" + file + " -o '" + dir + "' --quiet " + extra);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  return dir;
}

} // namespace psim::test
