// The virtual clock's queue of delayed messages, ordered by (due time, order of sending),
// so that messages due at the same instant arrive in the order they were sent, exactly as
// CAF's own clock delivers them, without its per-timer allocations. Messages sent with
// the same delay (a link's constant latency) wait in a first-in-first-out lane of that
// delay, since the clock never goes back; the others in a 4-ary min-heap.
#pragma once

#include <caf/actor_clock.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/mailbox_element.hpp>

#include <array>
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

  /// Queues `element` for `receiver` at `due`, sent with no particular delay: in the heap.
  void push(caf::actor_clock::time_point due, caf::strong_actor_ptr receiver,
            caf::mailbox_element_ptr element);

  /// Queues `element` for `receiver` at `due`, sent `delay` before it: in the lane of
  /// that delay when one is free for it and the message comes last in it.
  void push(caf::actor_clock::time_point due, caf::timespan delay,
            caf::strong_actor_ptr receiver, caf::mailbox_element_ptr element);

  /// True when no message is queued.
  bool empty() const { return size_ == 0; }

  /// How many messages are queued.
  std::size_t size() const { return size_; }

  /// When the earliest queued message is due (the queue must not be empty).
  caf::actor_clock::time_point next_due() const;

  /// Removes the earliest queued message and returns it (the queue must not be empty).
  entry pop();

  /// Enqueues every message due at or before `now` into its receiver's mailbox, in
  /// (due, seq) order; returns how many.
  std::size_t ship_due(caf::actor_clock::time_point now);

  /// From now on each ship asks the processor to fetch the next message and the first
  /// `bytes` of its receiver (0: stop), so they are in cache when it arrives.
  void warm_receivers(std::size_t bytes) { warm_bytes_ = bytes; }

  /// True when `pred` holds for every queued message (in no particular order).
  template <class Predicate>
  bool all_of(Predicate pred) const {
    for (const auto& s : heap_)
      if (!pred(*s.element))
        return false;
    for (const auto& l : lanes_)
      for (std::size_t i = 0; i < l.size(); ++i)
        if (!pred(*l.at(i).element))
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

  // Messages sent with one delay, in the order sent (and so of due time): a ring buffer.
  class lane {
  public:
    caf::timespan delay{};                   ///< the delay of every message in it
    bool empty() const { return count_ == 0; }
    std::size_t size() const { return count_; }
    const slot& at(std::size_t i) const { return ring_[(head_ + i) & (ring_.size() - 1)]; }
    const slot& front() const { return ring_[head_]; }
    const slot& back() const { return at(count_ - 1); }
    void push_back(const slot& s);
    slot pop_front();

  private:
    std::vector<slot> ring_; // a power of two long, or empty
    std::size_t head_ = 0;
    std::size_t count_ = 0;
  };
  static constexpr std::size_t lane_count = 4;
  static constexpr std::size_t from_heap = lane_count; // a source: the heap
  static constexpr std::size_t nothing = lane_count + 1; // no source: the queue is empty

  static caf::actor_clock::time_point due_of(const slot& s);
  key_type make_key(caf::actor_clock::time_point due);
  const slot& front_of(std::size_t source) const;
  void push_to_heap(const slot& s);
  void pushed(std::size_t source, key_type front); // counts it; is `front` the earliest?
  void find_first();                                   // after a take: which is earliest
  slot take_front();
  void sift_up(std::size_t i);
  void sift_down(std::size_t i);
  void warm(const slot& s) const; // prefetches its message and its receiver's first bytes

  std::vector<slot, children_aligned> heap_;
  std::array<lane, lane_count> lanes_;
  std::size_t first_ = nothing; // where the earliest message waits: a lane, the heap
  std::size_t size_ = 0;
  std::uint64_t next_seq_ = 0;
  std::size_t warm_bytes_ = 0; // of the next receiver to prefetch at each ship; 0: none
};

} // namespace psim::actors
