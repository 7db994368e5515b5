// What every actor of a run reports to the recorder at the stop: the input of the
// summary, collected as one value.
#pragma once

#include "actors/messages.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace psim::actors {

/// The reports of a run's actors, in the order they came.
struct run_reports {
  std::vector<worker_report> workers;      ///< one per worker incarnation
  std::vector<server_report> servers;      ///< one per server shard
  std::vector<link_report> links;          ///< one per network link
  std::optional<injector_report> injector; ///< the fault injector's

  /// True once the injector reported and, with it, `expected` reports in all (see
  /// expected_reports) plus one per restarted worker incarnation.
  bool complete(std::size_t expected) const {
    auto got = workers.size() + servers.size() + links.size() + (injector ? 1 : 0);
    return injector && got >= expected + injector->extra_reports;
  }
};

} // namespace psim::actors
