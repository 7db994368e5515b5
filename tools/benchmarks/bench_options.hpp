// The benchmark's command line, read with CLI11: --help lists the parts and their sizes,
// and a mistyped option or value stops with a message instead of starting a run of many
// minutes with it ignored.
#pragma once

#include "tools/benchmarks/clock_bench.hpp"

#include <cstdint>
#include <optional>

namespace psim::bench {

/// What one invocation of the benchmark runs.
struct bench_options {
  bool quick = false;                 ///< --quick: smaller sizes (about a minute)
  bool million = false;               ///< --million: the scale rows at 1,000,000 workers too
  bool copies = false;                ///< --copies: the big-model cases alone
  std::optional<std::uint64_t> floor; ///< --floor [N]: CAF's floor share alone, N updates
  clock_bench_options clock;          ///< --clock (alone), its cluster sizes and seconds
};

/// Reads the command line into `options`; returns -1 to go on, else the exit code: 0
/// after --help, 2 after a bad argument (its message printed).
int read_bench_options(int argc, char** argv, bench_options& options);

} // namespace psim::bench
