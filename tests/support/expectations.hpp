// Test support: expectations shared by the suites — the gradient counters that must
// add up, and plain full-batch gradient descent computed without actors.
#pragma once

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

namespace psim::test {

/// Checks computed = applied + discarded_stale + abandoned + lost + in_flight on a
/// summary's `gradients` object (or a shard's).
inline void check_conservation(const nlohmann::ordered_json& gradients) {
  auto count = [&](const char* name) { return gradients[name].get<std::uint64_t>(); };
  CHECK(count("computed")
        == count("applied") + count("discarded_stale") + count("abandoned") + count("lost")
             + count("in_flight"));
}

} // namespace psim::test
