// What every actor of a run reports to the recorder at the stop: the input of the
// summary, collected as one value.
#pragma once

#include "actors/messages.hpp"
#include "sim/output/lag_histogram.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <vector>

namespace psim::actors {

/// What the network links reported, folded in as each report comes: a million links'
/// reports are never held at once.
struct link_totals {
  std::size_t reports = 0;      ///< link reports received
  std::uint64_t sent = 0;       ///< messages put on the links
  std::uint64_t dropped = 0;    ///< messages lost
  std::uint64_t duplicated = 0; ///< extra copies delivered
  std::uint64_t bytes = 0;      ///< bytes put on the links
  std::map<std::uint32_t, std::vector<std::uint64_t>> in_transit; ///< by the server shard
                                ///< they lead to: gradient copies on the wire (worker,
                                ///< incarnation, seq)
  std::map<std::uint32_t, std::vector<std::uint64_t>> dropped_pushes; ///< by the server
                                ///< shard they lead to: pushes dropped and never resent
  sim::lag_histogram lag;       ///< real clock: the links' lag histograms, merged

  /// Adds the report of one link.
  void add(const link_report& r);
};

/// The reports of a run's actors, in the order they came.
struct run_reports {
  std::vector<worker_report> workers;      ///< one per worker incarnation
  std::vector<server_report> servers;      ///< one per server shard
  link_totals links;                       ///< the network links', folded
  std::optional<injector_report> injector; ///< the fault injector's

  /// True once the injector reported and, with it, `expected` reports in all (see
  /// expected_reports) plus one per restarted worker incarnation.
  bool complete(std::size_t expected) const {
    auto got = workers.size() + servers.size() + links.reports + (injector ? 1 : 0);
    return injector && got >= expected + injector->extra_reports;
  }
};

} // namespace psim::actors
