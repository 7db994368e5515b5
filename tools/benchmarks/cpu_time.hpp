// The CPU time every benchmark compares by: on a shared machine it leaves out the time
// other processes hold the cores (the loops, and psim under the virtual clock, are one
// thread).
#pragma once

#include <ctime>

namespace psim::bench {

/// CPU seconds of the process so far.
inline double cpu_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

} // namespace psim::bench
