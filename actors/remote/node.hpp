// The psim node: the one actor a `psim node` process publishes. It admits a coordinator
// for one run after a challenge and response (HMAC of a fresh nonce under the shared
// secret), hands it a gate that spawns that run's actors, and ends them when the run ends.
#pragma once

#include "actors/messages.hpp"
#include "actors/runtime/runtime.hpp"

#include <caf/all.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace psim::actors {

/// An event-based actor that drops exit messages from other processes before CAF
/// handles them (an exit_reason::kill passes any exit handler), and says so on stderr.
class local_exits_only : public caf::event_based_actor {
public:
  using caf::event_based_actor::event_based_actor;

  /// Drops `ptr` if it is an exit message whose sender is not in this process.
  void enqueue(caf::mailbox_element_ptr ptr, caf::execution_unit* host) override;
};

/// Wrong answers in a row from one host, for the growing delay of the next refusal.
struct refusal_tally {
  std::uint32_t failures = 0;                    ///< wrong answers in a row
  std::chrono::steady_clock::time_point last{};  ///< when the last one came
};

/// What a node holds between messages.
struct node_state {
  std::string secret;                       ///< the shared secret answers are keyed with
  std::uint64_t stop_token = 0;             ///< what `(stop_atom, token)` must carry
  std::map<std::string, caf::actor_clock::time_point> challenges; ///< open nonces: expiry
  std::map<std::string, refusal_tally> refusals; ///< by peer host
  std::map<std::uint64_t, caf::response_promise> pending; ///< delayed refusals
  std::uint64_t next_pending = 0;           ///< key of the next delayed refusal
  std::set<caf::actor> gates;               ///< one per admitted run

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "psim_node";
};

/// The behavior of a node that admits peers answering its challenges under `secret`; it
/// ignores every exit message and stops only on `(stop_atom, stop_token)`, which only its
/// own process knows.
caf::behavior node_actor(caf::stateful_actor<node_state, local_exits_only>* self,
                         std::string secret,
                         std::uint64_t stop_token);

/// What a run's gate holds: the coordinator it serves and the actors it spawned.
struct gate_state {
  caf::node_id coordinator;        ///< the admitted coordinator's node
  caf::actor owner;                ///< the run's owner there: the run ends with it
  std::vector<caf::actor> actors;  ///< spawned for the run

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "psim_gate";
};

/// The behavior of the gate of one admitted run: spawns actors for `coordinator` only,
/// ends them with `owner` (or when its node stops) and ignores exits from anyone else.
caf::behavior gate_actor(caf::stateful_actor<gate_state, local_exits_only>* self,
                         caf::node_id coordinator, caf::actor owner);

/// Makes `self` ignore exit messages unless they come from its own process or from
/// `coordinator`'s (a stranger's exit message must not stop a node's actors).
void ignore_foreign_exits(caf::scheduled_actor* self, caf::node_id coordinator);

/// Sends one value of every registered message type to an echo actor that `gate` (of an
/// admitted run) spawns and back; returns the names of those that did not come back
/// equal, and counts the types tried in `checked`.
std::vector<std::string> check_message_types(caf::actor_system& sys, const caf::actor& gate,
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
/// throws secret_error when neither gives one, the file is readable by group or others,
/// or the secret is shorter than 16 bytes (each with a sentence saying how to fix it).
std::string load_secret(const std::string& secret_file);

/// Throws secret_error unless `tls` is off or names a readable certificate, key and CA
/// file (each side proves itself to the other with a certificate that CA signed).
void check_tls_files(const tls_files& tls);

/// The text of `e`: the sentence it carries, else CAF's rendering of it.
std::string error_text(caf::actor_system& sys, const caf::error& e);

} // namespace psim::actors
