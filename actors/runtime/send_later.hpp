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
#include <caf/send.hpp>

#include <typeinfo>
#include <utility>

namespace psim::actors {

class run_control;

/// The configuration of psim's actor systems: CAF's, plus where psim's timed messages
/// wait, the virtual clock's event_queue or the real clock's timer (neither: CAF's own
/// clock), and the run's control where the run is in this process. Actors find them
/// through their system's configuration, so that no actor state carries a pointer to
/// them and CAF's clock stays in use wherever a plain configuration is used. Final, so
/// that its type alone says that a system has one.
class clock_config final : public caf::actor_system_config {
public:
  event_queue* queue = nullptr;     ///< virtual clock: the run's delayed messages
  real_timer* timer = nullptr;      ///< real clock: the process's timer
  run_control* control = nullptr;   ///< the run's control (none on a `psim node`)
};

/// The clock_config of `sys`, or nullptr when `sys` has a plain configuration.
inline const clock_config* clock_config_of(const caf::actor_system& sys) {
  // One comparison of type names (equal types share the name's address) instead of a
  // dynamic_cast walking the class hierarchy for every delayed message.
  const auto& cfg = sys.config();
  if (typeid(cfg) != typeid(clock_config))
    return nullptr;
  return static_cast<const clock_config*>(&cfg);
}

namespace detail {

// Queues `xs...` from `sender` for `dest` in the virtual clock's event_queue or the real
// runtime's timer; false, with nothing sent, when `self`'s system has neither.
template <class Self, class Dest, class... Ts>
bool queue_later(Self* self, caf::strong_actor_ptr sender, const Dest& dest,
                 caf::timespan delay, Ts&&... xs) {
  const auto* clocks = clock_config_of(self->system());
  auto* queue = clocks != nullptr ? clocks->queue : nullptr;
  auto* timer = clocks != nullptr ? clocks->timer : nullptr;
  if (queue == nullptr && timer == nullptr)
    return false;
  if (!dest)
    return true;
  // The element CAF's delayed_send builds (detail::profiled_send): sender, normal
  // priority, no forwarding stages.
  auto due = self->clock().now() + delay;
  auto receiver = caf::actor_cast<caf::strong_actor_ptr>(dest);
  auto element = caf::make_mailbox_element(std::move(sender), caf::make_message_id(), {},
                                           std::forward<Ts>(xs)...);
  if (queue != nullptr)
    queue->push(due, delay, std::move(receiver), std::move(element));
  else
    timer->push(due, delay, std::move(receiver), std::move(element), self->context());
  return true;
}

} // namespace detail

/// `self->delayed_send(dest, delay, xs...)`, through the virtual clock's event_queue or
/// the real runtime's timer when `self`'s system has one.
template <class Self, class Dest, class... Ts>
void send_later(Self* self, const Dest& dest, caf::timespan delay, Ts&&... xs) {
  // queue_later reads `xs` only when it returns true: forwarding them twice moves once.
  if (!detail::queue_later(self, self->ctrl(), dest, delay, std::forward<Ts>(xs)...))
    self->delayed_send(dest, delay, std::forward<Ts>(xs)...);
}

/// send_later from a typed actor to a dynamically typed one (a worker to its link) with
/// the sender kept: under the real clock a receiver follows the send time a message
/// carries only when it sees a sender in its own process. (CAF's typed send() refuses
/// such a receiver, which could answer with what the sender does not accept; links never
/// answer.) Without psim's queue or timer (the CAF-DSL tests), sent anonymously.
template <class Self, class... Ts>
void typed_send_later(Self* self, const caf::actor& dest, caf::timespan delay, Ts&&... xs) {
  if (!detail::queue_later(self, self->ctrl(), dest, delay, std::forward<Ts>(xs)...))
    caf::delayed_anon_send(dest, delay, std::forward<Ts>(xs)...);
}

} // namespace psim::actors
