// The default stall watchdog, from the scenario's own times.
#include "sim/scenario/stall_watchdog.hpp"

#include "sim/scenario/memory_estimate.hpp"
#include "sim/scenario/reader.hpp"
#include "sim/scenario/scenario.hpp"

#include <algorithm>
#include <cmath>

namespace psim::sim {

namespace {

// A duration `d` exceeds about once in 10^9 draws, or its mean if larger: for
// heavy tails (lognormal, pareto, empirical) a multiple of the mean is no bound.
double typical_worst(const distribution& d) {
  switch (d.kind) {
    case dist_kind::lognormal:
      return std::max(d.mean(), d.a * std::exp(6.0 * d.b));
    case dist_kind::pareto:
      return d.a * std::pow(1e9, 1.0 / d.b);
    case dist_kind::empirical:
      return d.samples ? *std::max_element(d.samples->begin(), d.samples->end()) : 0.0;
    default:
      return d.mean();
  }
}

// The largest mean compute time of a worker, with overrides and slowdown faults.
double slowest_compute(const scenario& scn) {
  double factor = 1;
  for (const auto& f : scn.faults)
    if (f.kind == fault_kind::slowdown)
      factor = std::max(factor, f.factor);
  double slowest = 0;
  for (std::size_t w = 0; w < scn.cluster.workers; ++w) {
    auto [time, slowdown] = scn.compute.of_worker(w);
    slowest = std::max(slowest, typical_worst(*time) * slowdown * factor);
  }
  if (scn.training.mode == mode_kind::local_sgd)
    slowest *= static_cast<double>(scn.training.local_steps);
  return slowest;
}

// The largest mean latency and transfer time of a parameter message on any link.
double slowest_link(const scenario& scn) {
  auto bytes = 64 + 8 * static_cast<double>(memory_inputs_of(scn).parameters);
  double latency = typical_worst(scn.network.latency);
  double bandwidth = scn.network.bandwidth;
  for (const auto& o : scn.network.links) {
    if (o.latency)
      latency = std::max(latency, typical_worst(*o.latency));
    if (o.bandwidth)
      bandwidth = std::min(bandwidth, *o.bandwidth);
  }
  for (const auto& f : scn.faults)
    if (f.delay)
      latency = std::max(latency, typical_worst(*f.delay));
  return std::max(latency, bytes / bandwidth);
}

} // namespace

std::optional<double> slowest_step(const scenario& scn) {
  double slowest = std::max({slowest_compute(scn), slowest_link(scn),
                             scn.network.timeout.value_or(0), scn.cluster.server_apply_time});
  for (const auto& f : scn.faults)
    slowest = std::max({slowest, f.duration, f.restart_after.value_or(0)});
  if (!std::isfinite(slowest))
    return std::nullopt;
  return slowest;
}

std::optional<double> effective_stall_timeout(const scenario& scn) {
  if (scn.run.stall_timeout)
    return scn.run.stall_timeout;
  auto slowest = slowest_step(scn);
  bool real = scn.run.clock != clock_kind::virtual_time;
  if (!slowest || (*slowest <= 0 && !real))
    return std::nullopt;
  auto limit = std::min(stall_steps * *slowest, max_duration_s);
  // The real clock cannot see that nothing is left to happen, and a loaded machine may
  // fall behind the model for a moment: a floor of real seconds.
  return real ? std::max(limit, real_clock_least_s) : limit;
}

} // namespace psim::sim
