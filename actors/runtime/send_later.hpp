// Every timed message of psim's actors goes through send_later: under the virtual clock
// into the run's event_queue (the driver ships it when due), under the real clock (the
// real runtime, `psim node`) into the process's real_timer, elsewhere (the CAF-DSL
// tests) as CAF's delayed_send.
#pragma once

#include "actors/runtime/event_queue.hpp"
#include "actors/runtime/real_timer.hpp"

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/message_id.hpp>

#include <typeinfo>
#include <utility>

namespace psim::actors {

/// The configuration of a virtual-clock actor system: CAF's, plus the run's queue of
/// delayed messages. Actors find the queue through their system's configuration, so
/// that no actor state carries a pointer to it and CAF's clock stays in use wherever a
/// plain configuration is used. Final, so that its type alone says that a system has it.
class virtual_clock_config final : public caf::actor_system_config {
public:
  /// The run's delayed messages (set by the driver before any actor is spawned).
  event_queue* queue = nullptr;
};

/// The virtual clock's queue of `sys`, or nullptr when `sys` runs on CAF's own clock.
inline event_queue* event_queue_of(const caf::actor_system& sys) {
  // One comparison of type names (equal types share the name's address) instead of a
  // dynamic_cast walking the class hierarchy for every delayed message.
  const auto& cfg = sys.config();
  if (typeid(cfg) != typeid(virtual_clock_config))
    return nullptr;
  return static_cast<const virtual_clock_config&>(cfg).queue;
}

/// The configuration of the real runtime's actor system: CAF's, plus the timer that
/// ships psim's timed messages. Final for the same reason as virtual_clock_config.
class real_clock_config final : public caf::actor_system_config {
public:
  /// The run's timer (set by the runtime before any actor is spawned).
  real_timer* timer = nullptr;
};

/// The real runtime's timer of `sys`, or nullptr when `sys` has none.
inline real_timer* real_timer_of(const caf::actor_system& sys) {
  const auto& cfg = sys.config();
  if (typeid(cfg) != typeid(real_clock_config))
    return nullptr;
  return static_cast<const real_clock_config&>(cfg).timer;
}

/// `self->delayed_send(dest, delay, xs...)`, through the virtual clock's event_queue or
/// the real runtime's timer when `self`'s system has one.
template <class Self, class Dest, class... Ts>
void send_later(Self* self, const Dest& dest, caf::timespan delay, Ts&&... xs) {
  auto* queue = event_queue_of(self->system());
  auto* timer = queue == nullptr ? real_timer_of(self->system()) : nullptr;
  if (queue == nullptr && timer == nullptr) {
    self->delayed_send(dest, delay, std::forward<Ts>(xs)...);
    return;
  }
  if (!dest)
    return;
  // The element CAF's delayed_send builds (detail::profiled_send): sender, normal
  // priority, no forwarding stages.
  auto due = self->clock().now() + delay;
  auto receiver = caf::actor_cast<caf::strong_actor_ptr>(dest);
  auto element = caf::make_mailbox_element(self->ctrl(), caf::make_message_id(), {},
                                           std::forward<Ts>(xs)...);
  if (queue != nullptr)
    queue->push(due, delay, std::move(receiver), std::move(element));
  else
    timer->push(due, delay, std::move(receiver), std::move(element), self->context());
}

} // namespace psim::actors
