// A few CAF messages of one type kept for reuse, so that a warm handler fills a message
// whose big vector is already allocated instead of allocating (and zeroing) a new one.
#pragma once

#include <caf/all.hpp>

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace psim::actors {

/// Messages holding one `T` each, kept for reuse once every receiver has let go of them
/// (CAF messages are reference-counted: one that nobody else holds can be written in
/// place). The most recently kept free one is reused first: its memory is the likeliest
/// to be still in cache. The kept messages form a list, newest to oldest, in fixed slots:
/// taking one from the middle unlinks it instead of moving the newer ones.
template <class T>
class message_pool {
public:
  /// A pool keeping at most `capacity` messages (at least one).
  explicit message_pool(std::size_t capacity = 2) : slots_(capacity > 0 ? capacity : 1) {
    for (std::size_t i = 0; i < slots_.size(); ++i)
      slots_[i].older = i + 1 < slots_.size() ? static_cast<std::uint32_t>(i + 1) : none;
  }

  /// A message holding a `T` that nobody else holds: the newest kept one whose
  /// receivers are done with it, else a new one; write it with `get_mutable_as<T>(0)`
  /// before sharing it.
  caf::message take() {
    auto i = newest_free();
    if (i == none)
      return caf::make_message(T{});
    unlink(i);
    auto msg = std::move(slots_[i].msg);
    slots_[i].older = free_;
    free_ = i;
    return msg;
  }

  /// take() and keep(`msg`) in one: swaps `msg` with the newest kept message that
  /// nobody else holds, which then counts as the newest kept; false (and no change)
  /// when every kept message is still held.
  bool swap_free(caf::message& msg) {
    auto i = newest_free();
    if (i == none)
      return false;
    slots_[i].msg.swap(msg);
    if (i != newest_) {
      unlink(i);
      link_newest(i);
    }
    return true;
  }

  /// Keeps `msg` (already sent, perhaps still in flight) for a later take(); when the
  /// pool is full the oldest kept message is left to CAF to free.
  void keep(caf::message msg) {
    auto i = free_;
    if (i != none) {
      free_ = slots_[i].older;
    } else {
      i = oldest_;
      unlink(i);
    }
    slots_[i].msg = std::move(msg);
    link_newest(i);
  }

private:
  static constexpr std::uint32_t none = UINT32_MAX; // no slot

  // A kept message and its neighbours in age (a free slot: `older` links the free ones).
  struct slot {
    caf::message msg;
    std::uint32_t older = none;
    std::uint32_t newer = none;
  };

  // The slot of the newest kept message that nobody else holds, or none.
  std::uint32_t newest_free() const {
    for (auto i = newest_; i != none; i = slots_[i].older)
      if (slots_[i].msg.cvals()->unique())
        return i;
    return none;
  }

  // Takes slot `i` out of the list of kept messages.
  void unlink(std::uint32_t i) {
    auto& s = slots_[i];
    (s.newer != none ? slots_[s.newer].older : newest_) = s.older;
    (s.older != none ? slots_[s.older].newer : oldest_) = s.newer;
  }

  // Puts slot `i` at the new end of the list of kept messages.
  void link_newest(std::uint32_t i) {
    slots_[i].older = newest_;
    slots_[i].newer = none;
    (newest_ != none ? slots_[newest_].newer : oldest_) = i;
    newest_ = i;
  }

  std::vector<slot> slots_;   // fixed: one per message the pool may keep
  std::uint32_t newest_ = none; // the most recently kept message's slot
  std::uint32_t oldest_ = none; // the least recently kept message's slot
  std::uint32_t free_ = 0;      // the first slot holding nothing
};

} // namespace psim::actors
