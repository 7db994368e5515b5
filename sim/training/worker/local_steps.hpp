// local_sgd on the worker: a block of H local SGD steps from the parameters last
// received; at its end the worker pushes the block's model delta.
#pragma once

#include "sim/model/model.hpp"

#include <cstdint>

namespace psim::sim {

/// One block of local steps under way.
class local_block {
public:
  /// Blocks of `steps` local steps each.
  explicit local_block(std::uint32_t steps) : steps_per_block_(steps) {}

  /// Starts a new block from `theta`.
  void begin(const vector& theta);

  /// One local step `theta -= rate * gradient` on a batch of `samples` rows; true
  /// when it was the block's last.
  bool step(vector& theta, Eigen::Ref<const vector> gradient, double rate,
            std::uint64_t samples);

  /// The block's model delta so far: its start minus `theta`.
  void delta(const vector& theta, Eigen::Ref<vector> out) const;

  /// Local steps taken in this block.
  std::uint32_t steps() const { return steps_; }

  /// Rows used in this block.
  std::uint64_t samples() const { return samples_; }

private:
  std::uint32_t steps_per_block_; // H
  vector start_;                  // parameters at the block's start
  std::uint32_t steps_ = 0;       // local steps taken
  std::uint64_t samples_ = 0;     // rows used
};

} // namespace psim::sim
