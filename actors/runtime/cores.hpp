// How many cores this process may run on, for the real clock's scheduler threads.
#pragma once

#include <caf/fwd.hpp>

#include <cstddef>
#include <optional>
#include <string>

namespace psim::actors {

/// The cores a quota line of cgroup v2's `cpu.max` grants ("max 100000" none; "200000
/// 100000" two; "150000 100000" two, rounded up); nullopt when there is no quota or the
/// line is not one.
std::optional<std::size_t> cores_of_quota(const std::string& cpu_max);

/// The cores this process may use: those of its CPU affinity (taskset), fewer when its
/// cgroup's CPU quota allows fewer (a container's --cpus); at least 1.
std::size_t usable_cores();

/// How many times an idle scheduler thread polls for work 50 µs apart before it waits
/// to be woken (CAF's default: 500, 25 ms of polling each time it runs dry).
inline constexpr std::size_t moderate_polls = 50;

/// Sizes CAF's threaded scheduler of `cfg` to the usable cores (CAF's own default is
/// the machine's cores, at least 4, whatever the process may use), and lets its idle
/// threads wait sooner (moderate_polls).
void configure_scheduler(caf::actor_system_config& cfg);

} // namespace psim::actors
