// The cores a process may use. CAF sizes its scheduler by the machine's cores (at least
// 4), whatever the process is allowed: 16 threads pinned to 2 of 16 cores, as many as the
// host's cores in a container with a CPU quota. On the 2-core development machine its 4
// threads kept less of the model's time than 2 (docs/performance.md).
#include "actors/runtime/cores.hpp"

#include <caf/actor_system_config.hpp>

#include <sched.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <thread>

namespace psim::actors {

std::optional<std::size_t> cores_of_quota(const std::string& cpu_max) {
  std::istringstream in{cpu_max};
  std::string quota;
  long long period = 0;
  if (!(in >> quota >> period) || quota == "max" || period <= 0)
    return std::nullopt;
  long long granted = 0;
  try {
    granted = std::stoll(quota);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (granted <= 0)
    return std::nullopt;
  return static_cast<std::size_t>(std::max(1LL, (granted + period - 1) / period));
}

std::size_t usable_cores() {
  std::size_t cores = std::max(1U, std::thread::hardware_concurrency());
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof set, &set) == 0)
    cores = std::max(1, CPU_COUNT(&set));
  // The quota of the cgroup the process sees as its root (a container's own).
  std::ifstream file{"/sys/fs/cgroup/cpu.max"};
  std::string line;
  if (std::getline(file, line))
    if (auto granted = cores_of_quota(line))
      cores = std::min(cores, *granted);
  return cores;
}

void configure_scheduler(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", usable_cores());
  // A real-clock run is idle between its timed events; CAF's 500 polls made a run of 8
  // workers with 100 ms compute use 22 % of a core doing nothing (4 % now), and did not
  // keep time better.
  cfg.set("work-stealing.moderate-poll-attempts", moderate_polls);
}

} // namespace psim::actors
