// The real clock's kept-time benchmark: how many of the versions the model puts into a
// stretch of time a real-clock run of the same scenario applies in that much real time.
#pragma once

#include <string>
#include <vector>

#include "tools/benchmarks/targets.hpp"

namespace psim::bench {

/// What the clock benchmark runs: async, 1 ms compute, 100 µs latency.
struct clock_bench_options {
  std::vector<std::size_t> workers{8, 64, 256}; ///< cluster sizes, one run pair each
  double seconds = 3;                           ///< stop.time of both runs
  bool only = false;                            ///< --clock: run this benchmark alone
};

/// Runs each cluster size under the virtual and the real clock and prints the versions
/// of both, their ratio (the kept-time ratio) and the real run's lag p50, p99 and max.
void run_clock_bench(const clock_bench_options& options, target_sheet& sheet);

} // namespace psim::bench
