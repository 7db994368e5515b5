// The atoms that tag psim's messages: the run's phases, the actors' own timers and the
// node handshake.
#pragma once

#include <caf/all.hpp>

namespace psim::actors {

/// Starts the training: sent by the runtime to every actor once all are wired.
using start_atom = caf::atom_constant<caf::atom("start")>;

/// Ends the run: every actor sends its report to the recorder and goes quiet.
using stop_atom = caf::atom_constant<caf::atom("stop")>;

/// allreduce: a worker's replica reached the update budget (sent to the recorder).
using halted_atom = caf::atom_constant<caf::atom("halted")>;

/// The fault injector's own timer: fault `index` begins (true) or ends (false):
/// `(fault_atom, index, begin)`.
using fault_atom = caf::atom_constant<caf::atom("fault")>;

/// A worker's own timer: resend the push with this sequence number if unanswered.
using resend_atom = caf::atom_constant<caf::atom("resend")>;

/// A server's own timer: has a version been applied since `(watchdog_atom, version)`?
using watchdog_atom = caf::atom_constant<caf::atom("watchdog")>;

/// No version for run.stall_timeout: `(stalled_atom, who waits for what)` to the recorder.
using stalled_atom = caf::atom_constant<caf::atom("stalled")>;

/// A worker's own timer: the computation with this sequence number is done.
using computed_atom = caf::atom_constant<caf::atom("computed")>;

/// Node handshake, first step: `(hello_atom, psim version)` -> a fresh nonce (hex).
using hello_atom = caf::atom_constant<caf::atom("hello")>;

/// Node handshake, second step: `(answer_atom, nonce, run id, HMAC-SHA256 hex, owner)` ->
/// the gate of this run (an actor that places actors for it) or an error.
using answer_atom = caf::atom_constant<caf::atom("answer")>;

/// Asks a run's gate to spawn an actor: `(place_atom, type name, actor_config)` -> actor.
using place_atom = caf::atom_constant<caf::atom("place")>;

/// Asks a run's gate for an actor that sends every message back: `(echo_atom)` -> actor.
using echo_atom = caf::atom_constant<caf::atom("echo")>;

} // namespace psim::actors
