// Model time inside an actor. Under the real clock a timed message is handled a little
// after the time the model meant for it; every next deadline is computed from that
// intended time, never from "now", so lateness does not accumulate, and is measured.
#pragma once

#include "actors/runtime/caf_logger.hpp"
#include "sim/output/lag_histogram.hpp"

#include <caf/actor_clock.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/local_actor.hpp>

#include <algorithm>
#include <cstdint>

namespace psim::actors {

/// A point on the actor clock.
using clock_point = caf::actor_clock::time_point;

/// The model time of an event meant for `intended` (a stamp, 0 = unknown) and handled
/// while the clock reads `now`: `intended` when deadlines are followed and it is known.
inline clock_point model_time(bool deadlines, clock_point now, std::int64_t intended) {
  if (!deadlines || intended == 0)
    return now;
  return clock_point{caf::timespan{intended}};
}

/// How long to wait, at `now`, for an event due at `deadline`: never negative.
inline caf::timespan wait_until(clock_point deadline, clock_point now) {
  return std::max(caf::timespan{0}, deadline - now);
}

/// `t` as the stamp a message carries (nanoseconds on this node's actor clock).
inline std::int64_t stamp_of(clock_point t) {
  return static_cast<std::int64_t>(t.time_since_epoch().count());
}

/// The stamp `at` of the message being handled, or 0 when its sender is on another node,
/// whose clock this node cannot read.
inline std::int64_t local_stamp(caf::local_actor* self, std::int64_t at) {
  const auto& sender = self->current_sender();
  // Both node ids by reference: abstract_actor::node() returns a copy, whose reference
  // count, one for the whole node, every scheduler thread would write at every message.
  return sender && sender->node() == caf::actor_control_block::from(self)->node() ? at : 0;
}

/// An actor's model clock: the model time of the event being handled, and (real clock)
/// the lag of every timed event.
struct model_clock {
  bool deadlines = false;    ///< real clock: follow the intended times messages carry
  clock_point now{};         ///< the model time of the event being handled
  sim::lag_histogram lag;    ///< real clock: how late timed events were handled

  /// Switches to following deadlines (the real clock); allocates the lag buckets.
  void follow_deadlines() {
    deadlines = true;
    lag.enable();
  }

  /// Enters the handling of an event meant for `intended` (0 = unknown: an untimed
  /// event) while the actor clock reads `real_now`.
  void enter(clock_point real_now, std::int64_t intended) {
    now = model_time(deadlines, real_now, intended);
    if (!deadlines)
      return;
    leave_caf_logger(); // on CAF's scheduler threads, which (re)attach it as they start
    if (intended != 0)
      lag.add(real_now > now ? static_cast<std::uint64_t>((real_now - now).count()) : 0);
  }

  /// Enters the handling of the message `self` is handling, stamped `at` by its sender:
  /// the stamp counts only where deadlines are followed and the sender is on this node.
  void enter_stamped(caf::local_actor* self, clock_point real_now, std::int64_t at) {
    enter(real_now, deadlines ? local_stamp(self, at) : 0);
  }
};

} // namespace psim::actors
