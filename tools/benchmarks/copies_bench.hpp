// The big-model benchmark: async descent with 16 workers on 10^5 and 10^6 parameters,
// batch 1 and 32, under the virtual clock, against a bare loop doing the same arithmetic.
#pragma once

namespace psim::bench {

/// Runs the four cases (fewer updates when `quick`), best of 3 (1 when `quick`), and
/// prints the CPU times of psim and of two bare loops (gradients applied at once, and
/// one per worker in flight) and the ratios.
void run_copies_bench(bool quick);

} // namespace psim::bench
