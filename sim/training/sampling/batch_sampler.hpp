// Mini-batch samplers (training.sampling): which rows of a worker's shard each next
// batch holds. One file per sampling (blocks.cpp, reshuffle.cpp, replacement.cpp),
// chosen by kind in batch_sampler.cpp; minibatches.hpp turns rows into a batch view.
#pragma once

#include "sim/data/data.hpp"
#include "sim/random/random.hpp"
#include "sim/training/sampling/sampling_kind.hpp"

#include <cstddef>
#include <memory>
#include <vector>

namespace psim::sim {

/// The rows of one mini-batch: a contiguous block, or rows listed one by one.
struct batch_rows {
  shard block;                     ///< the rows when `listed` is empty
  std::vector<std::size_t> listed; ///< absolute rows of the training set, in batch order
};

/// Picks the rows of a shard's mini-batches, one batch after the other.
class batch_sampler {
public:
  virtual ~batch_sampler() = default;

  /// Writes the rows of the next batch into `out`, reusing its storage.
  virtual void next(batch_rows& out) = 0;
};

/// The rows per batch of a shard of `shard_rows` rows: `batch_size`, or the whole shard
/// when `batch_size` is 0 or larger than the shard.
std::size_t rows_per_batch(std::size_t shard_rows, std::size_t batch_size);

/// The sampler `kind` for batches of `batch_size` rows (0 = the whole shard) of `rows`,
/// drawing from `rng`. A batch that is the whole shard is always its contiguous block.
std::unique_ptr<batch_sampler> make_batch_sampler(sampling_kind kind, shard rows,
                                                  std::size_t batch_size, random_stream rng);

/// "blocks": fixed blocks of consecutive rows in a new order every epoch (batch_order).
std::unique_ptr<batch_sampler> make_blocks_sampler(shard rows, std::size_t batch_size,
                                                   random_stream rng);

/// "reshuffle": a fresh permutation of the shard every epoch; an epoch's remainder is
/// completed from the next permutation, so that every batch has exactly the batch size.
std::unique_ptr<batch_sampler> make_reshuffle_sampler(shard rows, std::size_t batch_size,
                                                      random_stream rng);

/// "replacement": every row of a batch drawn uniformly and independently from the shard.
std::unique_ptr<batch_sampler> make_replacement_sampler(shard rows, std::size_t batch_size,
                                                        random_stream rng);

} // namespace psim::sim
