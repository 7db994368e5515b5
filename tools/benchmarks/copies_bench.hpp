// The big-model benchmark: async descent with 16 workers on 10^5 and 10^6 parameters,
// batch 1 and 32, under the virtual clock, against bare loops doing the same arithmetic.
#pragma once

#include "tools/benchmarks/targets.hpp"

namespace psim::bench {

/// Runs the five cases (fewer updates when `quick`), best of 3 (1 when `quick`), and
/// prints the CPU times of psim and of the bare loops (bare_loops.hpp) and the ratios.
void run_copies_bench(bool quick, target_sheet& sheet);

} // namespace psim::bench
