// Tells first arrivals from repeats among numbered messages of one sender, whatever
// their order: a duplicated or resent message is accepted at most once.
#pragma once

#include <cstdint>
#include <set>

namespace psim::sim {

/// Remembers which sequence numbers (from 1) of one sender have arrived.
class sequence_filter {
public:
  /// True the first time `seq` is seen, false for every repeat.
  bool first_time(std::uint64_t seq) {
    if (seq > highest_) {
      for (auto missing = highest_ + 1; missing < seq; ++missing)
        gaps_.insert(missing);
      highest_ = seq;
      return true;
    }
    return gaps_.erase(seq) > 0;
  }

  /// The highest number seen (0 before the first).
  std::uint64_t highest() const { return highest_; }

  /// The numbers below highest() not seen yet.
  const std::set<std::uint64_t>& gaps() const { return gaps_; }

private:
  std::uint64_t highest_ = 0;       // highest number seen
  std::set<std::uint64_t> gaps_;    // numbers below highest_ not seen yet
};

} // namespace psim::sim
