// The virtual clock's queue of delayed messages: lanes for messages sent with one delay,
// a 4-ary min-heap for the others, and the earliest of their fronts leaves first. A heap
// node's four children sit side by side on two cache lines (children_aligned), so a
// sift-down reads two lines per level; lanes and heap move plain 32-byte slots and own
// their pointers again when a message leaves. With a link's constant latency, two of an
// async update's three delayed messages take a lane: at 100,000 workers the heap then
// holds the compute timers alone. With warm_receivers, each ship prefetches the next
// message and its receiver, so that a cold actor's lines load while another one runs.
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

event_queue::key_type event_queue::make_key(caf::actor_clock::time_point due) {
  auto bits = static_cast<std::uint64_t>(due.time_since_epoch().count()) ^ sign_bit;
  return (key_type{bits} << 64) | next_seq_++;
}

void event_queue::lane::push_back(const slot& s) {
  if (count_ == ring_.size()) {
    std::vector<slot> larger(std::max<std::size_t>(16, 2 * ring_.size()));
    for (std::size_t i = 0; i < count_; ++i)
      larger[i] = at(i);
    ring_.swap(larger);
    head_ = 0;
  }
  ring_[(head_ + count_++) & (ring_.size() - 1)] = s;
}

event_queue::slot event_queue::lane::pop_front() {
  auto s = ring_[head_];
  head_ = (head_ + 1) & (ring_.size() - 1);
  --count_;
  return s;
}

void event_queue::push(caf::actor_clock::time_point due, caf::strong_actor_ptr receiver,
                       caf::mailbox_element_ptr element) {
  push_to_heap(slot{make_key(due), receiver.release(), element.release()});
}

void event_queue::push_to_heap(const slot& s) {
  heap_.push_back(s);
  sift_up(heap_.size() - 1);
  pushed(from_heap, heap_.front().key);
}

void event_queue::push(caf::actor_clock::time_point due, caf::timespan delay,
                       caf::strong_actor_ptr receiver, caf::mailbox_element_ptr element) {
  slot s{make_key(due), receiver.release(), element.release()};
  // The lane of this delay, else an empty one; the heap when the lane's last is due
  // later (the clock went back) or every lane holds messages of other delays.
  std::size_t chosen = lane_count;
  for (std::size_t i = 0; i < lane_count; ++i) {
    auto& l = lanes_[i];
    if (l.delay != delay) {
      if (l.empty() && chosen == lane_count)
        chosen = i;
      continue;
    }
    chosen = l.empty() || s.key > l.back().key ? i : lane_count;
    break;
  }
  if (chosen != lane_count) {
    auto& l = lanes_[chosen];
    l.delay = delay;
    l.push_back(s);
    pushed(chosen, l.front().key);
    return;
  }
  push_to_heap(s);
}

void event_queue::pushed(std::size_t source, key_type front) {
  ++size_;
  if (first_ == nothing || front < front_of(first_).key)
    first_ = source;
}

void event_queue::find_first() {
  first_ = heap_.empty() ? nothing : from_heap;
  const slot* first = heap_.empty() ? nullptr : &heap_.front();
  for (std::size_t i = 0; i < lane_count; ++i) {
    const auto& l = lanes_[i];
    if (!l.empty() && (first == nullptr || l.front().key < first->key)) {
      first = &l.front();
      first_ = i;
    }
  }
}

const event_queue::slot& event_queue::front_of(std::size_t source) const {
  return source == from_heap ? heap_.front() : lanes_[source].front();
}

caf::actor_clock::time_point event_queue::next_due() const {
  return due_of(front_of(first_));
}

event_queue::slot event_queue::take_front() {
  --size_;
  slot first;
  if (first_ != from_heap) {
    first = lanes_[first_].pop_front();
  } else {
    first = heap_.front();
    heap_.front() = heap_.back();
    heap_.pop_back();
    if (!heap_.empty())
      sift_down(0);
  }
  find_first();
  return first;
}

event_queue::entry event_queue::pop() {
  auto s = take_front();
  return entry{due_of(s), caf::strong_actor_ptr{s.receiver, false},
               caf::mailbox_element_ptr{s.element}};
}

void event_queue::warm(const slot& s) const {
  __builtin_prefetch(s.element);
  const auto* bytes = reinterpret_cast<const char*>(s.receiver);
  for (std::size_t offset = 0; offset < warm_bytes_; offset += 64)
    __builtin_prefetch(bytes + offset);
}

std::size_t event_queue::ship_due(caf::actor_clock::time_point now) {
  std::size_t shipped = 0;
  while (first_ != nothing && due_of(front_of(first_)) <= now) {
    auto s = take_front();
    // The next message's receiver is fetched while this one's runs: at 100,000 workers
    // its actor is out of cache and would stall the processor when its message arrives.
    if (warm_bytes_ != 0 && first_ != nothing)
      warm(front_of(first_));
    // What CAF's clock does with a due message (simple_actor_clock::ship).
    caf::strong_actor_ptr receiver{s.receiver, false};
    receiver->enqueue(caf::mailbox_element_ptr{s.element}, nullptr);
    ++shipped;
  }
  return shipped;
}

void event_queue::clear() {
  // Moved out first: a dropped message's destructor may not find the queue half-empty.
  std::vector<slot> dropped(heap_.begin(), heap_.end());
  heap_.clear();
  for (auto& l : lanes_)
    while (!l.empty())
      dropped.push_back(l.pop_front());
  size_ = 0;
  first_ = nothing;
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
