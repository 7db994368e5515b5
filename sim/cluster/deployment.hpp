// Where a real-clock run's actors live: the psim nodes of [deployment] and the rule
// that places each actor on one of them or on the coordinator (DESIGN §2, §5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace psim::sim {

/// A node's address as "host:port", split.
struct node_address {
  std::string host;       ///< name or IP address (without IPv6 brackets)
  std::uint16_t port = 0; ///< TCP port, 1..65535
};

/// Splits "host:port" (or "[v6]:port"); nullopt when it is not of that form.
std::optional<node_address> parse_node_address(std::string_view text);

/// The [deployment] table; absent (no nodes) for a run in one process.
struct deployment_config {
  std::vector<std::string> nodes; ///< "host:port" of each `psim node`, in file order
  bool round_robin = true;        ///< placement = "round_robin": worker-i on node i mod n
  /// placement = { name-or-pattern = node index }: the actors each entry places.
  std::vector<std::pair<std::string, std::size_t>> placement;

  /// True when the run spreads over nodes.
  bool enabled() const { return !nodes.empty(); }

  /// The node index of actor `name` ("worker-3", "server-0", "worker-3->server-0"), or
  /// nullopt for the coordinator. An exact name beats a pattern; a longer pattern beats
  /// a shorter one.
  std::optional<std::size_t> node_of(std::string_view name) const;
};

} // namespace psim::sim
