// A bare CAF program with psim's four messages per async update, for the benchmark's
// "share of CAF's floor" ratio.
#pragma once

#include <cstdint>

namespace psim::bench {

/// What the bare CAF program did.
struct floor_result {
  std::uint64_t updates = 0; ///< pushes the server answered
  double wall = 0;           ///< seconds of wall time
  double cpu = 0;            ///< seconds of CPU time
};

/// Runs `workers` bare workers under CAF's testing scheduler until `updates` pushes.
floor_result run_caf_floor(std::uint32_t workers, std::uint64_t updates);

} // namespace psim::bench
