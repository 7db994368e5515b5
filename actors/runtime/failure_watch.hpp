// Actor failures as run outcomes: an exception inside an actor ends that actor with an
// error that carries the exception's message, and a watch in the runtime's process
// turns such an end into the stop `failed`.
#pragma once

#include "actors/runtime/run_control.hpp"

#include <caf/all.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace psim::actors {

/// The error an actor named `name` ends with when `x` escapes one of its handlers.
caf::error failure_of(const std::string& name, std::exception_ptr x);

/// Makes an exception in `self`'s handlers end it with failure_of(`name`, ...).
template <class Self>
void guard_exceptions(Self* self, std::string name) {
  self->set_exception_handler([name = std::move(name)](caf::scheduled_actor*,
                                                       std::exception_ptr& x) {
    return failure_of(name, x);
  });
}

/// Test hook, called as the actor `name` starts: does nothing in psim; the test program
/// psim_failing (tests/support/failing_hook.cpp) links its own definition, which throws
/// in the actor a test names, so that no release binary carries a failure switch.
void throw_if_injected(const std::string& name);

/// True when `reason` comes from failure_of, whose message names the actor.
bool names_itself(const caf::error& reason);

/// The message of an actor's exit reason `reason`; empty when the actor did not fail
/// (a normal end, a kill, a crash fault's user_shutdown).
std::string failure_message(const caf::error& reason);

/// The name of the i-th watched actor, for a failure that does not name its actor.
using watched_name = std::function<std::string(std::size_t)>;

/// Spawns an actor that monitors each of `watched` and stops the run of `control` as
/// `failed` when one of them ends with a failure; it keeps one address per actor, and
/// asks `name_of` only for an actor that fails without naming itself.
caf::actor spawn_failure_watch(caf::actor_system& sys, std::shared_ptr<run_control> control,
                               std::vector<caf::actor> watched, watched_name name_of);

} // namespace psim::actors
