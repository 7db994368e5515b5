// A directed network link between two actors: FIFO serialization at the link's
// bandwidth, a latency sample per message, loss and duplication (DESIGN §4), and the
// fault effects in force on it (cut, loss, latency).
#pragma once

#include "actors/recorder/event_trace.hpp"
#include "actors/messages.hpp"
#include "actors/runtime/model_clock.hpp"
#include "sim/cluster/actor_id.hpp"
#include "sim/random/distribution.hpp"
#include "sim/random/random.hpp"
#include "sim/scenario/scenario.hpp"

#include <caf/all.hpp>

#include <cmath>
#include <memory>
#include <optional>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

namespace psim::actors {

/// A gradient copy on the wire: (worker, incarnation, seq).
using push_id = std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>;

/// A link's counters; the link_report is made of them when the run stops.
struct link_counters {
  std::uint64_t sent = 0;              ///< messages put on the link
  std::uint64_t dropped = 0;           ///< messages lost
  std::uint64_t duplicated = 0;        ///< extra copies delivered
  std::uint64_t bytes = 0;             ///< bytes put on the link
  std::uint64_t gradients_dropped = 0; ///< gradients in lost messages
};

/// A link's record of the gradient pushes it carries: only a link that carries pushes
/// (worker -> server) has one.
struct push_ledger {
  /// Gradient copies sent, by arrival time, in the order sent; the arrived ones are
  /// pruned once the list has doubled, not at every send (no node per copy).
  std::vector<std::pair<caf::actor_clock::time_point, push_id>> in_transit;
  /// The least size that triggers a pruning: a worker's link carries a push or two at a
  /// time, and at 64 each of a million links held 2 KB of arrived copies in a long run.
  static constexpr std::size_t least_prune = 8;
  std::size_t prune_at = least_prune;      ///< in_transit's size that triggers a pruning
  std::set<push_id> dropped;               ///< pushes lost and not sent again since
};

/// What a link holds between messages. A million workers have two million links, so
/// it keeps no strings (names are derived when needed) and shares its conditions with
/// every link that has the same (the scenario's, unless a [[network.link]] covers it).
struct network_link_state {
  caf::actor destination;                  ///< where messages go
  sim::link_id id;                         ///< its ends
  std::optional<sim::random_stream> rng;   ///< stream "link/<from>-><to>"
  std::shared_ptr<const sim::network_config> conditions; ///< latency, bandwidth, drop,
                                           ///< duplicate
  std::vector<std::pair<std::uint32_t, sim::effect>> effects; ///< in force, by the fault
                                           ///< causing each, in fault order
  caf::actor_clock::time_point free_at{};  ///< when the last message leaves the wire
  std::unique_ptr<push_ledger> pushes;     ///< made at the first push it carries
  link_counters counters;                  ///< counters so far
  caf::actor recorder;                     ///< receives its events (events.csv)
  bool tracing = false;                    ///< trace.events: it sends them
  bool stopped = false;                    ///< the run has ended
  model_clock timing;                      ///< model time; real clock: deadlines, lag
  double wire_per_double = 0;              ///< model.wire_bytes per parameter; 0 = 8
  double wire_per_ring_double = 0;         ///< the same per value of the ring's vector
                                           ///< (the parameters and the batch weight)

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "network_link";
};

/// Bytes a message carrying `doubles` doubles occupies on a link: 8 each, plus 64.
inline std::uint64_t message_bytes(std::size_t doubles) {
  return 64 + 8 * static_cast<std::uint64_t>(doubles);
}

/// Bytes a message carrying `doubles` doubles occupies on a link whose model sets a
/// wire size of `per_double` bytes per parameter (0: the real size, message_bytes).
inline std::uint64_t wire_message_bytes(std::size_t doubles, double per_double) {
  if (per_double <= 0)
    return message_bytes(doubles);
  return 64 + static_cast<std::uint64_t>(std::llround(per_double * static_cast<double>(doubles)));
}

/// Bytes per carried double under `model.wire_bytes`, spread over the model's parameters
/// plus `extra` values (the ring's batch weight: 1); 0 when the real size counts.
double wire_per_double(const sim::scenario& scn, std::size_t extra);

/// The behavior of the link `config.from` -> `config.to`; messages are forwarded to the
/// actor given by the latest wiring message.
caf::behavior network_link(caf::stateful_actor<network_link_state>* self,
                           actor_config config);

} // namespace psim::actors
