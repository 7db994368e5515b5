// CAF 0.17 books, at every resume of an actor, the running actor's id for its logger in
// one process-wide map under one spin lock (logger::thread_local_aid, twice per resume),
// whenever the thread has a logger, whatever the log level: Debian's libcaf is built
// quiet and logs nothing, yet every resume takes that lock, and on a threaded scheduler
// the lock's cache line moves between cores at every message. psim logs nothing through
// CAF, so its threads drop their logger. CAF attaches it again on each scheduler thread
// as it starts and on any thread that spawns an actor, so the runtimes call this often:
// the virtual driver every 1,024 steps, real-clock actors at every timed event.
#pragma once

#include <caf/logger.hpp>

namespace psim::actors {

/// Detaches the calling thread from CAF's logger, so that CAF books no actor ids on it
/// until the thread spawns an actor. Safe at any time: the logger stays with the system.
inline void leave_caf_logger() {
  if (caf::logger::current_logger() != nullptr)
    caf::logger::set_current_actor_system(nullptr);
}

} // namespace psim::actors
