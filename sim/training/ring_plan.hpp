// The schedule of a ring all-reduce over N workers: the vector is cut into N chunks;
// in 2(N-1) steps each worker sends one chunk to its successor (reduce-scatter, then
// all-gather), after which every worker holds the same sum.
#pragma once

#include <cstddef>

namespace psim::sim {

/// Which chunk moves at which step of a ring all-reduce.
class ring_plan {
public:
  /// A plan for `workers` workers and a vector of `length` values.
  ring_plan(std::size_t workers, std::size_t length) : workers_(workers), length_(length) {
  }

  /// Number of steps: 2(N-1).
  std::size_t steps() const { return 2 * (workers_ - 1); }

  /// True for the reduce-scatter steps (received chunks are added), false for the
  /// all-gather steps (received chunks replace).
  bool adds(std::size_t step) const { return step + 1 < workers_; }

  /// The chunk worker `w` sends at step 0 (its own index).
  std::size_t first_chunk(std::size_t w) const { return w; }

  /// The chunk worker `w` receives at `step`; it sends that same chunk at step + 1.
  std::size_t received_chunk(std::size_t w, std::size_t step) const {
    auto n = workers_;
    auto shift = adds(step) ? step + 1 : step - (n - 1);
    return (w + n - shift % n) % n;
  }

  /// First index of chunk `c`.
  std::size_t begin(std::size_t c) const { return c * length_ / workers_; }

  /// One past the last index of chunk `c`.
  std::size_t end(std::size_t c) const { return (c + 1) * length_ / workers_; }

private:
  std::size_t workers_;
  std::size_t length_;
};

} // namespace psim::sim
