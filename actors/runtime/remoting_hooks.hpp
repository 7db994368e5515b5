// What a run with [deployment] needs from psim_remote (the middleman, TLS, the node
// handshake), reached through hooks: a program built without psim_remote (the psim
// command line) then loads neither libcaf_io nor libcaf_openssl nor libcrypto, whose
// dynamic linking cost every run about 2 ms of start-up.
#pragma once

#include "actors/cluster/cluster.hpp"
#include "actors/runtime/runtime.hpp"

#include <caf/all.hpp>

#include <memory>
#include <string>

namespace psim::actors {

/// The remote half of the runtime, as psim_remote's install_remoting() fills it.
struct remoting_hooks {
  /// Loads the middleman (and TLS, when `tls` asks for it) into `cfg`.
  void (*configure)(caf::actor_system_config& cfg, const tls_files& tls) = nullptr;
  /// Spawns the cluster placed on the nodes of `scn.deployment`.
  cluster (*spawn)(caf::actor_system& sys, const sim::scenario& scn,
                   std::shared_ptr<run_control> control, const std::string& out_dir,
                   const run_options& options) = nullptr;
};

/// Makes `hooks` this process's remoting (called once, before any run).
void install_remoting_hooks(const remoting_hooks& hooks);

/// This process's remoting, or nullptr in a program built without psim_remote.
const remoting_hooks* installed_remoting();

/// This process's remoting; throws deployment_error in a program built without it.
const remoting_hooks* required_remoting();

} // namespace psim::actors
