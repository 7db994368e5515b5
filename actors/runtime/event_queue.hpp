// The virtual clock's queue of delayed messages: a 4-ary min-heap keyed by (due time,
// order of sending), so that messages due at the same instant arrive in the order they
// were sent, exactly as CAF's own clock delivers them, without its per-timer allocations.
#pragma once

#include <caf/actor_clock.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/mailbox_element.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace psim::actors {

/// Delayed messages of a virtual-clock run, each shipped to its receiver when due.
class event_queue {
public:
  /// One delayed message: what CAF's clock would hold for it.
  struct entry {
    caf::actor_clock::time_point due; ///< when it arrives
    std::uint64_t seq;                ///< order of sending, among equal due times
    caf::strong_actor_ptr receiver;   ///< who gets it
    caf::mailbox_element_ptr element; ///< the message with its sender
  };

  /// Queues `element` for `receiver` at `due`.
  void push(caf::actor_clock::time_point due, caf::strong_actor_ptr receiver,
            caf::mailbox_element_ptr element);

  /// True when no message is queued.
  bool empty() const { return heap_.empty(); }

  /// How many messages are queued.
  std::size_t size() const { return heap_.size(); }

  /// The earliest queued message (the queue must not be empty).
  const entry& top() const { return heap_.front(); }

  /// Removes the earliest queued message and returns it (the queue must not be empty).
  entry pop();

  /// Enqueues every message due at or before `now` into its receiver's mailbox, in
  /// (due, seq) order; returns how many.
  std::size_t ship_due(caf::actor_clock::time_point now);

  /// True when `pred` holds for every queued message (in no particular order).
  template <class Predicate>
  bool all_of(Predicate pred) const {
    for (const auto& e : heap_)
      if (!pred(e))
        return false;
    return true;
  }

  /// Drops every queued message undelivered.
  void clear() { heap_.clear(); }

private:
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);

  std::vector<entry> heap_;
  std::uint64_t next_seq_ = 0;
};

} // namespace psim::actors
