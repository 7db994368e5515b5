// The failure hook of the test program psim_failing (psim's own sources plus this file):
// the actor named in PSIM_TEST_FAIL throws as it starts, as a real exception would.
// Release builds of psim link the hook's empty weak definition instead.
#include "actors/runtime/failure_watch.hpp"

#include <cstdlib>
#include <stdexcept>

namespace psim::actors {

void throw_if_injected(const std::string& name) {
  const char* target = std::getenv("PSIM_TEST_FAIL");
  if (target != nullptr && name == target)
    throw std::runtime_error("injected failure (test hook)");
}

} // namespace psim::actors
