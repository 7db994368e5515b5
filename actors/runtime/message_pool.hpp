// A few CAF messages of one type kept for reuse, so that a warm handler fills a message
// whose big vector is already allocated instead of allocating (and zeroing) a new one.
#pragma once

#include <caf/all.hpp>

#include <cstddef>
#include <utility>
#include <vector>

namespace psim::actors {

/// Messages holding one `T` each, reused once every receiver has let go of them (CAF
/// messages are reference-counted: one nobody else holds can be written in place).
template <class T>
class message_pool {
public:
  /// A message holding a `T` that nobody else holds: a kept one whose receivers are
  /// done with it, or a new one; write it with `get_mutable_as<T>(0)` before sharing it.
  caf::message take() {
    for (std::size_t i = 0; i < kept_.size(); ++i)
      if (kept_[i].cvals()->unique()) {
        std::swap(kept_[i], kept_.back());
        auto msg = std::move(kept_.back());
        kept_.pop_back();
        return msg;
      }
    return caf::make_message(T{});
  }

  /// Keeps `msg` (already sent, perhaps still in flight) for a later take().
  void keep(caf::message msg) {
    if (kept_.capacity() < capacity)
      kept_.reserve(capacity); // once, so that keeping never allocates when warm
    if (kept_.size() < capacity)
      kept_.push_back(std::move(msg));
  }

  /// Messages kept at most; beyond them a message is left to CAF to free.
  static constexpr std::size_t capacity = 4;

private:
  std::vector<caf::message> kept_;
};

} // namespace psim::actors
