// A few CAF messages of one type kept for reuse, so that a warm handler fills a message
// whose big vector is already allocated instead of allocating (and zeroing) a new one.
#pragma once

#include <caf/all.hpp>

#include <cstddef>
#include <utility>
#include <vector>

namespace psim::actors {

/// Messages holding one `T` each, kept for reuse once every receiver has let go of them
/// (CAF messages are reference-counted: one that nobody else holds can be written in
/// place). The most recently kept free one is reused first: its memory is the likeliest
/// to be still in cache.
template <class T>
class message_pool {
public:
  /// A pool keeping at most `capacity` messages (at least one).
  explicit message_pool(std::size_t capacity = 2) : capacity_(capacity > 0 ? capacity : 1) {
    kept_.reserve(capacity_);
  }

  /// A message holding a `T` that nobody else holds: the newest kept one whose
  /// receivers are done with it, else a new one; write it with `get_mutable_as<T>(0)`
  /// before sharing it.
  caf::message take() {
    for (auto i = kept_.size(); i-- > 0;)
      if (kept_[i].cvals()->unique()) {
        auto msg = std::move(kept_[i]);
        kept_.erase(kept_.begin() + static_cast<std::ptrdiff_t>(i));
        return msg;
      }
    return caf::make_message(T{});
  }

  /// Keeps `msg` (already sent, perhaps still in flight) for a later take(); when the
  /// pool is full the oldest kept message is left to CAF to free.
  void keep(caf::message msg) {
    if (kept_.size() == capacity_)
      kept_.erase(kept_.begin());
    kept_.push_back(std::move(msg));
  }

private:
  std::size_t capacity_;           // the most messages kept
  std::vector<caf::message> kept_; // oldest first
};

} // namespace psim::actors
