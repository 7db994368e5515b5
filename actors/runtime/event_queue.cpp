// The virtual clock's 4-ary min-heap of delayed messages. A node's four children sit
// side by side on two cache lines (children_aligned), so a sift-down reads two lines per
// level; the heap moves plain 32-byte slots and owns their pointers again when a message
// leaves.
#include "actors/runtime/event_queue.hpp"

#include <algorithm>
#include <utility>

namespace psim::actors {

namespace {

constexpr std::size_t arity = 4;
constexpr std::uint64_t sign_bit = std::uint64_t{1} << 63;

} // namespace

caf::actor_clock::time_point event_queue::due_of(const slot& s) {
  auto bits = static_cast<std::uint64_t>(s.key >> 64) ^ sign_bit;
  return caf::actor_clock::time_point{
    caf::actor_clock::duration_type{static_cast<std::int64_t>(bits)}};
}

void event_queue::push(caf::actor_clock::time_point due, caf::strong_actor_ptr receiver,
                       caf::mailbox_element_ptr element) {
  auto bits = static_cast<std::uint64_t>(due.time_since_epoch().count()) ^ sign_bit;
  auto key = (key_type{bits} << 64) | next_seq_++;
  heap_.push_back(slot{key, receiver.release(), element.release()});
  sift_up(heap_.size() - 1);
}

event_queue::slot event_queue::take_front() {
  auto first = heap_.front();
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty())
    sift_down(0);
  return first;
}

event_queue::entry event_queue::pop() {
  auto s = take_front();
  return entry{due_of(s), caf::strong_actor_ptr{s.receiver, false},
               caf::mailbox_element_ptr{s.element}};
}

std::size_t event_queue::ship_due(caf::actor_clock::time_point now) {
  std::size_t shipped = 0;
  while (!heap_.empty() && due_of(heap_.front()) <= now) {
    auto s = take_front();
    // What CAF's clock does with a due message (simple_actor_clock::ship).
    caf::strong_actor_ptr receiver{s.receiver, false};
    receiver->enqueue(caf::mailbox_element_ptr{s.element}, nullptr);
    ++shipped;
  }
  return shipped;
}

void event_queue::clear() {
  // Moved out first: a dropped message's destructor may not find the queue half-empty.
  auto dropped = std::move(heap_);
  heap_.clear();
  for (auto& s : dropped) {
    caf::strong_actor_ptr receiver{s.receiver, false};
    caf::mailbox_element_ptr element{s.element};
  }
}

void event_queue::sift_up(std::size_t i) {
  auto moving = heap_[i];
  while (i > 0) {
    auto parent = (i - 1) / arity;
    if (moving.key >= heap_[parent].key)
      break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = moving;
}

void event_queue::sift_down(std::size_t i) {
  auto moving = heap_[i];
  auto n = heap_.size();
  for (;;) {
    auto first = i * arity + 1;
    if (first >= n)
      break;
    auto best = first;
    auto last = std::min(first + arity, n);
    for (auto c = first + 1; c < last; ++c)
      best = heap_[c].key < heap_[best].key ? c : best;
    if (heap_[best].key >= moving.key)
      break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = moving;
}

} // namespace psim::actors
