// Tracing for events.csv: an actor that traces sends one event_msg per event to the
// recorder, which stamps it with the current time; when tracing is off nothing is sent.
#pragma once

#include "actors/messages.hpp"
#include "sim/cluster/actor_id.hpp"
#include "sim/output/event_kind.hpp"

#include <caf/all.hpp>

#include <string>

namespace psim::actors {

/// Where an actor's events go, and whether they go at all.
struct event_trace {
  caf::actor recorder; ///< receives the events
  std::string actor;   ///< the tracing actor's name, e.g. "worker-3"
  bool enabled = false; ///< trace.events

  /// Sends one event (no-op unless enabled). CAF 0.17.6's member anon_send sends
  /// exactly as send does, sender included, and also works from typed actors.
  template <class Self>
  void emit(Self* self, sim::event_kind event, const std::string& peer = {},
            std::int64_t version = -1, std::int64_t staleness = -1,
            std::uint64_t bytes = 0) const {
    if (enabled)
      self->anon_send(recorder, event_msg{actor, std::string{sim::to_string(event)}, peer, version,
                                         staleness, bytes});
  }

  /// Sends one event whose peer is an actor, named only when the event is sent: on the
  /// busy paths nothing is built for a trace that is off.
  template <class Self>
  void emit_to(Self* self, sim::event_kind event, sim::actor_id peer, std::int64_t version = -1,
               std::int64_t staleness = -1, std::uint64_t bytes = 0) const {
    if (enabled)
      emit(self, event, sim::to_string(peer), version, staleness, bytes);
  }
};

/// The name of worker `id`: "worker-<id>".
inline std::string worker_name(std::size_t id) {
  return sim::to_string(sim::actor_id::worker(static_cast<std::uint32_t>(id)));
}

/// The name of server shard `id`: "server-<id>".
inline std::string server_name(std::size_t id) {
  return sim::to_string(sim::actor_id::server(static_cast<std::uint32_t>(id)));
}

using sim::event_kind;

} // namespace psim::actors
