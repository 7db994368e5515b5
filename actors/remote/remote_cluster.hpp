// The cluster of a run with [deployment]: connects to each psim node, passes the
// handshake, then spawns every actor where the placement puts it (on a node through
// its node actor, or here) and wires them as spawn_cluster does.
#pragma once

#include "actors/cluster/cluster.hpp"
#include "actors/runtime/runtime.hpp"

#include <stdexcept>

namespace psim::actors {

/// A node that cannot take part: unreachable, refused the handshake, failed a spawn.
struct deployment_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Connects to the node at `address` ("host:port"), over TLS when `tls`, and answers its
/// challenge under `secret` for a run that ends with `owner`; returns the run's gate on
/// that node. Throws deployment_error, naming `what`, with what to check.
caf::actor connect_node(caf::actor_system& sys, const std::string& address,
                        const std::string& secret, const std::string& what, bool tls,
                        const caf::actor& owner);

/// As spawn_cluster, with the actors placed per `scn.deployment`; a node lost during
/// the run counts its actors as crashed. Throws deployment_error before anything is
/// spawned when a node is unreachable or refuses.
cluster spawn_remote_cluster(caf::actor_system& sys, const sim::scenario& scn,
                             std::shared_ptr<run_control> control, const std::string& out_dir,
                             const run_options& options);

/// Makes configure_remoting and spawn_remote_cluster this process's remoting hooks
/// (remoting_hooks.hpp): a program that links psim_remote calls it before any run.
void install_remoting();

} // namespace psim::actors
