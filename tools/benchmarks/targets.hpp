// The scale-and-speed issue's targets against the figures of one run of the bench: a
// markdown table printed last, each row measured in that run, for the README.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

namespace psim::bench {

/// The figures the bench's parts measured, each left empty by a part that did not run.
struct target_sheet {
  std::optional<double> numpy_whole;      ///< numpy peer's whole process / psim's
  std::optional<double> numpy_per_update; ///< psim's updates per CPU-s / the peer's
  std::uint64_t numpy_updates = 0;        ///< updates of the runs compared with the peer
  std::optional<double> floor_share;      ///< psim's updates per CPU-s / bare CAF's
  std::optional<double> async_growth;     ///< cost per gradient, 100,000 workers / 100
  std::optional<double> sync_growth;      ///< the same, sync
  std::optional<double> caf_growth;       ///< the same, the bare CAF program
  std::optional<double> least_async_growth; ///< async's growth were all but 3 cold actors free
  std::optional<double> least_sync_growth;  ///< the same, sync
  std::optional<double> bytes_per_worker; ///< async at 100,000 workers
  std::optional<double> million_rss;      ///< peak RSS in bytes, 1,000,000 async workers
  std::optional<double> big_bare;         ///< d = 10^5, batch 1: psim / at-once loop
  std::optional<double> big_versions;     ///< the same against the versions loop
  std::optional<double> big_replay;       ///< the same against the run's order replayed
  std::map<std::size_t, double> kept;     ///< real clock: workers -> % of versions kept
};

/// Prints the targets, this run's figures and whether each is met, as a markdown table.
void print_targets(const target_sheet& sheet);

} // namespace psim::bench
