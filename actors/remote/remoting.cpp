// The remote half of the runtime as the core reaches it: the middleman's settings, and
// the hooks through which a run with [deployment] finds them and the remote cluster.
#include "actors/remote/node.hpp"
#include "actors/remote/remote_cluster.hpp"
#include "actors/runtime/remoting_hooks.hpp"

#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>

namespace psim::actors {

void configure_remoting(caf::actor_system_config& cfg, const tls_files& tls) {
  cfg.load<caf::io::middleman>();
  if (tls.enabled()) {
    cfg.load<caf::openssl::manager>();
    cfg.openssl_certificate = tls.certificate;
    cfg.openssl_key = tls.key;
    cfg.openssl_cafile = tls.ca;
  }
  // A frozen peer keeps its socket open: only missing heartbeats reveal it.
  cfg.set("middleman.heartbeat-interval", caf::timespan{std::chrono::milliseconds(250)});
  cfg.set("middleman.connection-timeout", caf::timespan{std::chrono::seconds(2)});
}

void install_remoting() {
  install_remoting_hooks({&configure_remoting, &spawn_remote_cluster});
}

} // namespace psim::actors
