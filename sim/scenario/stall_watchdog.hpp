// The stall watchdog a run gets when run.stall_timeout is not given: a long multiple of
// the slowest step the scenario itself describes, so that a run which applies no
// version any more ends as `stalled` instead of spinning or waiting forever.
#pragma once

#include <optional>

namespace psim::sim {

struct scenario;

/// How many of the slowest step the default watchdog waits.
inline constexpr double stall_steps = 100;

/// The real clock's default watchdog waits at least this many seconds.
inline constexpr double real_clock_least_s = 10;

/// The slowest single step of `scn`, in seconds: the largest of a worker's compute time
/// (the mean; for lognormal, pareto and empirical times the value exceeded about once
/// in 10^9 draws; times its slowdowns, times local_steps in local_sgd), a link's
/// latency (the same way), a parameter message's transfer time, network.timeout,
/// cluster.server_apply_time and a fault's window or restart_after; nothing when
/// infinite.
std::optional<double> slowest_step(const scenario& scn);

/// run.stall_timeout when given; otherwise stall_steps times the slowest step (at most
/// max_duration_s), under the real clock at least real_clock_least_s; nothing when the
/// slowest step is unbounded (or, under the virtual clock, zero).
std::optional<double> effective_stall_timeout(const scenario& scn);

} // namespace psim::sim
