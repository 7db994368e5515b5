// The live workers as an ordered set with ranks (a Fenwick tree of 0/1 per worker):
// "the j-th live worker" in O(log N), so client sampling draws without listing them all.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace psim::sim {

/// Which of N workers are live, answering "the j-th live one in worker order" and
/// marking one live or lost in O(log N).
class live_ranks {
public:
  /// N workers, all live.
  explicit live_ranks(std::size_t workers) : live_(workers, true), tree_(workers + 1, 0) {
    for (std::size_t i = 1; i <= workers; ++i)
      tree_[i] = static_cast<std::uint32_t>(i & (~i + 1)); // every range is all ones
    while (top_ * 2 <= workers)
      top_ *= 2;
  }

  /// How many workers are live.
  std::size_t size() const { return size_; }

  /// Marks `worker` live or not (nothing when it already is).
  void set(std::uint32_t worker, bool live) {
    if (live_.at(worker) == live)
      return;
    live_[worker] = live;
    size_ = live ? size_ + 1 : size_ - 1;
    for (std::size_t i = worker + 1; i < tree_.size(); i += i & (~i + 1))
      tree_[i] = live ? tree_[i] + 1 : tree_[i] - 1;
  }

  /// The live worker of rank `j` (0-based, in worker order); j must be below size().
  std::uint32_t nth(std::size_t j) const {
    if (size_ == live_.size())
      return static_cast<std::uint32_t>(j); // nobody lost: rank = worker
    std::size_t at = 0; // largest index whose prefix count is at most j
    for (auto step = top_; step > 0; step /= 2)
      if (at + step < tree_.size() && tree_[at + step] <= j) {
        at += step;
        j -= tree_[at];
      }
    return static_cast<std::uint32_t>(at); // tree index at + 1 is worker at
  }

private:
  std::vector<bool> live_;          // per worker: live
  std::vector<std::uint32_t> tree_; // Fenwick tree over live_, 1-based
  std::size_t size_ = live_.size(); // live workers
  std::size_t top_ = 1;             // highest power of two <= workers
};

} // namespace psim::sim
