// The psim node: the one actor a `psim node` process publishes. It admits a
// coordinator only after the handshake (shared secret, same psim version), then
// spawns the actors the coordinator places on it and ends them when their run ends.
#pragma once

#include "actors/messages.hpp"
#include "actors/runtime/runtime.hpp"

#include <caf/all.hpp>

#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace psim::actors {

/// What a node holds between messages.
struct node_state {
  std::string secret;                      ///< the shared secret peers must present
  std::set<caf::node_id> admitted;         ///< peers that passed the handshake
  std::map<caf::actor_addr, std::vector<caf::actor>> owned; ///< by run owner: its actors

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "psim_node";
};

/// The behavior of a node that admits peers presenting `secret`.
caf::behavior node_actor(caf::stateful_actor<node_state>* self, std::string secret);

/// Sends one value of every registered message type to an echo actor on `node` (which
/// admitted this system) and back; returns the names of those that did not come back
/// equal, and counts the types tried in `checked`.
std::vector<std::string> check_message_types(caf::actor_system& sys, const caf::actor& node,
                                             std::size_t& checked);

/// Loads the middleman (and, when `tls` asks for it, libcaf_openssl with its files) and
/// sets its heartbeat and connection timeout, so that a killed or frozen peer is noticed
/// within about two seconds (on the node and the coordinator).
void configure_remoting(caf::actor_system_config& cfg, const tls_files& tls = {});

/// No usable shared secret.
struct secret_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// The shared secret: the first line of `secret_file` if given, else $PSIM_SECRET;
/// throws secret_error when neither gives a non-empty secret.
std::string load_secret(const std::string& secret_file);

/// Throws secret_error unless `tls` is off or names a readable certificate, key and CA
/// file (each side proves itself to the other with a certificate that CA signed).
void check_tls_files(const tls_files& tls);

/// True when `a` equals `b`, taking the same time for every `a` of `b`'s length.
bool same_secret(const std::string& a, const std::string& b);

} // namespace psim::actors
