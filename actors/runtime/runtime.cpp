// Choosing the runtime, and the interrupt flag that a signal handler may set.
#include "actors/runtime/runtime.hpp"

#include "actors/remote/node.hpp"
#include "actors/remote/remote_cluster.hpp"
#include "actors/runtime/run_end.hpp"

#include <atomic>
#include <chrono>
#include <new>

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
  auto started = std::chrono::steady_clock::now();
  try {
    if (scn.run.clock == sim::clock_kind::virtual_time)
      return run_virtual(scn, options);
    return run_real(scn, options);
  } catch (const deployment_error&) {
    throw; // a node unreachable or refusing: a usage error, before the run
  } catch (const secret_error&) {
    throw;
  } catch (const std::exception& e) {
    // Before the actors ran (loading, spawning): the run failed, with a summary.
    auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
    auto detail = std::string{e.what()};
    if (dynamic_cast<const std::bad_alloc*>(&e) != nullptr)
      detail = "out of memory (std::bad_alloc)";
    return write_header_summary(scn, options.out_dir, sim::stop_reason::failed, wall.count(),
                                detail);
  }
}

} // namespace psim::actors
