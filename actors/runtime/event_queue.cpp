// The virtual clock's 4-ary min-heap of delayed messages. A node's four children sit
// side by side in the vector, so a sift-down reads about two cache lines per level.
#include "actors/runtime/event_queue.hpp"

#include <algorithm>
#include <utility>

namespace psim::actors {

namespace {

constexpr std::size_t arity = 4;

bool earlier(const event_queue::entry& a, const event_queue::entry& b) {
  return a.due < b.due || (a.due == b.due && a.seq < b.seq);
}

} // namespace

void event_queue::push(caf::actor_clock::time_point due, caf::strong_actor_ptr receiver,
                       caf::mailbox_element_ptr element) {
  heap_.push_back(entry{due, next_seq_++, std::move(receiver), std::move(element)});
  sift_up(heap_.size() - 1);
}

event_queue::entry event_queue::pop() {
  entry first = std::move(heap_.front());
  if (heap_.size() > 1)
    heap_.front() = std::move(heap_.back());
  heap_.pop_back();
  if (!heap_.empty())
    sift_down(0);
  return first;
}

std::size_t event_queue::ship_due(caf::actor_clock::time_point now) {
  std::size_t shipped = 0;
  while (!heap_.empty() && heap_.front().due <= now) {
    auto e = pop();
    // What CAF's clock does with a due message (simple_actor_clock::ship).
    e.receiver->enqueue(std::move(e.element), nullptr);
    ++shipped;
  }
  return shipped;
}

void event_queue::sift_up(std::size_t i) {
  entry moving = std::move(heap_[i]);
  while (i > 0) {
    auto parent = (i - 1) / arity;
    if (!earlier(moving, heap_[parent]))
      break;
    heap_[i] = std::move(heap_[parent]);
    i = parent;
  }
  heap_[i] = std::move(moving);
}

void event_queue::sift_down(std::size_t i) {
  entry moving = std::move(heap_[i]);
  auto n = heap_.size();
  for (;;) {
    auto first = i * arity + 1;
    if (first >= n)
      break;
    auto best = first;
    auto last = std::min(first + arity, n);
    for (auto c = first + 1; c < last; ++c)
      if (earlier(heap_[c], heap_[best]))
        best = c;
    if (!earlier(heap_[best], moving))
      break;
    heap_[i] = std::move(heap_[best]);
    i = best;
  }
  heap_[i] = std::move(moving);
}

} // namespace psim::actors
