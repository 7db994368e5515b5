// A worker's mini-batches as views the model can take: a contiguous block is viewed in
// place; listed rows are gathered into buffers the worker reuses (no allocation once
// the buffers have their size).
#pragma once

#include "sim/data/dataset.hpp"
#include "sim/training/sampling/batch_sampler.hpp"

#include <memory>

namespace psim::sim {

/// The mini-batches of one shard under one sampling, ready for model::gradient.
class minibatches {
public:
  /// Batches of `batch_size` rows (0 = the whole shard) of `rows`, chosen by `kind`
  /// with `rng`.
  minibatches(sampling_kind kind, shard rows, std::size_t batch_size, random_stream rng);

  /// The next batch of `data`; a gathered batch stays valid until the next call.
  batch next(const dataset& data);

  /// The rows of the batch `next` returned last.
  const batch_rows& rows() const { return rows_; }

private:
  std::unique_ptr<batch_sampler> sampler_;
  batch_rows rows_; // the rows of the current batch
  matrix x_;        // gathered features of listed rows
  vector y_;        // gathered targets of listed rows
};

} // namespace psim::sim
