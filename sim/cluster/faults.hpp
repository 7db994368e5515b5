// Faults and per-link network conditions a scenario schedules: what breaks, when,
// for how long, and which links and actors it touches (DESIGN §4, §5).
#pragma once

#include "sim/cluster/actor_id.hpp"
#include "sim/random/distribution.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psim::sim {

/// A [[network.link]] entry: other conditions on the links it names.
struct link_override {
  std::string from;                      ///< sender name or pattern
  std::string to;                        ///< receiver name or pattern
  bool both_ways = false;                ///< `between`: also to -> from
  std::optional<distribution> latency;   ///< per-message latency
  std::optional<double> bandwidth;       ///< bytes per second
  std::optional<double> drop;            ///< loss probability
  std::optional<double> duplicate;       ///< duplication probability

  /// True when this entry applies to the link `a` -> `b`.
  bool covers(std::string_view a, std::string_view b) const {
    return (name_matches(from, a) && name_matches(to, b))
           || (both_ways && name_matches(from, b) && name_matches(to, a));
  }
};

/// The kinds of scheduled faults.
enum class fault_kind { crash, slowdown, partition, drop, latency, server_crash };

/// The name of a fault kind as scenario files write it.
std::string to_string(fault_kind kind);

/// A [[faults]] entry.
struct fault {
  double at = 0;                         ///< seconds after the start
  fault_kind kind = fault_kind::crash;   ///< what happens
  std::string target;                    ///< crash, slowdown, server_crash: actor or pattern
  std::optional<double> restart_after;   ///< crash, server_crash: back after this long
  double duration = 0;                   ///< slowdown, partition, drop, latency: window
  double factor = 1;                     ///< slowdown: factor on compute times
  std::vector<std::string> group;        ///< partition: actors cut off from the rest
  std::string from = "*";                ///< drop, latency: links from (pattern)
  std::string to = "*";                  ///< drop, latency: links to (pattern)
  double probability = 1;                ///< drop: loss probability in the window
  std::optional<distribution> delay;     ///< latency: the latency in the window

  /// True when the link `a` -> `b` is touched by this fault (partition, drop, latency).
  bool touches_link(std::string_view a, std::string_view b) const;
};

} // namespace psim::sim
