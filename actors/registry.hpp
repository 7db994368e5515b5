// The one table of actor types spawnable by name ("worker", "parameter_server",
// "network_link"), used by the local cluster and by psim nodes alike.
#pragma once

#include "actors/messages.hpp"

#include <caf/all.hpp>

#include <string>

namespace psim::actors {

/// Spawns an actor of `type` in `sys` with `config`; an error for an unknown type. With a
/// `coordinator` (on a psim node), the actor drops exit messages from other processes
/// than its own and the coordinator's, kills included (exit_filter.hpp).
caf::expected<caf::actor> spawn_by_type(caf::actor_system& sys, const std::string& type,
                                        actor_config config,
                                        const caf::node_id& coordinator = caf::node_id{});

} // namespace psim::actors
