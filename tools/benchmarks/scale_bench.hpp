// The scale rows of the benchmark: updates per CPU-second and bytes per worker from 10 to
// 1,000,000 workers, async and sync, and sync's cost per gradient against the workers.
#pragma once

#include "tools/benchmarks/targets.hpp"

namespace psim::bench {

/// Prints the scale rows (each size run in a child process, so that its peak RSS is its
/// own); `quick`: fewer gradients; `million`: also 1,000,000 workers (minutes, ~8 GB).
void run_scale_bench(bool quick, bool million, target_sheet& sheet);

} // namespace psim::bench
