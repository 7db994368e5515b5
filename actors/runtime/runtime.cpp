// Choosing the runtime, and the interrupt flag that a signal handler may set.
#include "actors/runtime/runtime.hpp"

#include <atomic>

namespace psim::actors {

namespace {

std::atomic<bool> interrupted{false};

} // namespace

void interrupt_run() {
  interrupted = true;
}

bool run_interrupted() {
  return interrupted.load(std::memory_order_relaxed);
}

void clear_interrupt() {
  interrupted = false;
}

run_outcome run_scenario(const sim::scenario& scn, const run_options& options) {
  if (scn.run.clock == sim::clock_kind::virtual_time)
    return run_virtual(scn, options);
  return run_real(scn, options);
}

} // namespace psim::actors
