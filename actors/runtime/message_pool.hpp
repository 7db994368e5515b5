// A few CAF messages of one type kept for reuse, so that a warm handler fills a message
// whose big vector is already allocated instead of allocating (and zeroing) a new one.
#pragma once

#include <caf/all.hpp>

#include <cstddef>
#include <utility>
#include <vector>

namespace psim::actors {

/// Messages holding one `T` each, kept in the order they were sent and reused once
/// every receiver has let go of them (CAF messages are reference-counted: one that
/// nobody else holds can be written in place). The oldest is the one to be free first.
template <class T>
class message_pool {
public:
  /// A pool keeping at most `capacity` messages (at least one).
  explicit message_pool(std::size_t capacity = 2) : kept_(capacity > 0 ? capacity : 1) {}

  /// A message holding a `T` that nobody else holds: the oldest kept one if its
  /// receivers are done with it, else a new one; write it with `get_mutable_as<T>(0)`
  /// before sharing it.
  caf::message take() {
    if (count_ > 0 && kept_[head_].cvals()->unique()) {
      auto msg = std::move(kept_[head_]);
      head_ = (head_ + 1) % kept_.size();
      --count_;
      return msg;
    }
    return caf::make_message(T{});
  }

  /// Keeps `msg` (already sent, perhaps still in flight) for a later take(); when the
  /// pool is full it is left to CAF to free.
  void keep(caf::message msg) {
    if (count_ < kept_.size())
      kept_[(head_ + count_++) % kept_.size()] = std::move(msg);
  }

private:
  std::vector<caf::message> kept_; // a ring: count_ messages from head_ on
  std::size_t head_ = 0;
  std::size_t count_ = 0;
};

} // namespace psim::actors
