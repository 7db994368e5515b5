// The virtual clock's queue of delayed messages: a 4-ary min-heap keyed by (due time,
// order of sending), so that messages due at the same instant arrive in the order they
// were sent, exactly as CAF's own clock delivers them, without its per-timer allocations.
#pragma once

#include <caf/actor_clock.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/mailbox_element.hpp>

#include <cstddef>
#include <cstdint>
#include <new>
#include <type_traits>
#include <vector>

namespace psim::actors {

/// Delayed messages of a virtual-clock run, each shipped to its receiver when due.
class event_queue {
public:
  /// One delayed message, owned: what CAF's clock would hold for it.
  struct entry {
    caf::actor_clock::time_point due; ///< when it arrives
    caf::strong_actor_ptr receiver;   ///< who gets it
    caf::mailbox_element_ptr element; ///< the message with its sender
  };

  event_queue() = default;
  event_queue(const event_queue&) = delete;
  event_queue& operator=(const event_queue&) = delete;

  /// Drops every queued message undelivered.
  ~event_queue() { clear(); }

  /// Queues `element` for `receiver` at `due`.
  void push(caf::actor_clock::time_point due, caf::strong_actor_ptr receiver,
            caf::mailbox_element_ptr element);

  /// True when no message is queued.
  bool empty() const { return heap_.empty(); }

  /// How many messages are queued.
  std::size_t size() const { return heap_.size(); }

  /// When the earliest queued message is due (the queue must not be empty).
  caf::actor_clock::time_point next_due() const { return due_of(heap_.front()); }

  /// Removes the earliest queued message and returns it (the queue must not be empty).
  entry pop();

  /// Enqueues every message due at or before `now` into its receiver's mailbox, in
  /// (due, seq) order; returns how many.
  std::size_t ship_due(caf::actor_clock::time_point now);

  /// True when `pred` holds for every queued message (in no particular order).
  template <class Predicate>
  bool all_of(Predicate pred) const {
    for (const auto& s : heap_)
      if (!pred(*s.element))
        return false;
    return true;
  }

  /// Drops every queued message undelivered.
  void clear();

private:
  // (due, seq) as one unsigned number: the due time's bits with the sign flipped above
  // the order of sending, so that one comparison orders two messages.
  __extension__ typedef unsigned __int128 key_type;

  // A queued message with its smart pointers released: moving it copies 32 bytes.
  struct slot {
    key_type key;
    caf::actor_control_block* receiver;
    caf::mailbox_element* element;
  };
  static_assert(sizeof(slot) == 32, "four children fill two 64-byte cache lines");

  // Storage that starts 96 bytes past a 128-byte boundary: the four children of the
  // node at i (4i + 1 to 4i + 4) then fill two cache lines instead of straddling three.
  struct children_aligned {
    using value_type = slot;
    template <class U>
    struct rebind {
      static_assert(std::is_same_v<U, slot>, "a heap of slots only");
      using other = children_aligned;
    };
    static constexpr std::size_t lead = 3; // slots before the root, up to the boundary
    static constexpr std::align_val_t alignment{128};
    slot* allocate(std::size_t n) {
      return static_cast<slot*>(::operator new((n + lead) * sizeof(slot), alignment)) + lead;
    }
    void deallocate(slot* p, std::size_t) { ::operator delete(p - lead, alignment); }
    bool operator==(const children_aligned&) const { return true; }
    bool operator!=(const children_aligned&) const { return false; }
  };

  static caf::actor_clock::time_point due_of(const slot& s);
  slot take_front();
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);

  std::vector<slot, children_aligned> heap_;
  std::uint64_t next_seq_ = 0;
};

} // namespace psim::actors
