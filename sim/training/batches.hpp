// The mini-batches of one worker's shard: fixed blocks of consecutive rows, visited in
// a new random order every epoch (the order is shuffled with the worker's batch stream).
#pragma once

#include "sim/data/data.hpp"
#include "sim/random/random.hpp"

#include <cstddef>
#include <vector>

namespace psim::sim {

/// Which rows of the training set each next mini-batch of a shard holds.
class batch_order {
public:
  /// Batches of `batch_size` rows (0 = the whole shard) of `rows`, shuffled with `rng`.
  batch_order(shard rows, std::size_t batch_size, random_stream rng);

  /// The rows of the next batch (absolute rows of the training set); a new epoch
  /// begins with a new random order of the blocks.
  shard next();

  /// Rows per batch (the last block of the shard may hold fewer).
  std::size_t batch_rows() const { return batch_rows_; }

  /// Number of batches per epoch.
  std::size_t batches() const { return order_.size(); }

private:
  shard rows_;                      // the shard
  std::size_t batch_rows_;          // rows per block
  std::vector<std::size_t> order_;  // block numbers of this epoch
  std::size_t position_;            // next place in order_
  random_stream rng_;               // stream "batches/worker-<id>"
};

} // namespace psim::sim
