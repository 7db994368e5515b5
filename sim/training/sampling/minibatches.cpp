// Turning a sampler's rows into a batch: a view of a block or of a lone listed row, or
// a gather of listed rows.
#include "sim/training/sampling/minibatches.hpp"

namespace psim::sim {

minibatches::minibatches(sampling_kind kind, shard rows, std::size_t batch_size,
                         random_stream rng)
    : sampler_(make_batch_sampler(kind, rows, batch_size, rng)) {}

batch minibatches::next(const dataset& data) {
  sampler_->next(rows_);
  if (rows_.listed.empty())
    return rows_of(data, rows_.block.begin, rows_.block.count);
  auto n = static_cast<Eigen::Index>(rows_.listed.size());
  if (n == 1) // one row is a block of its own: batch 1 copies nothing
    return rows_of(data, rows_.listed.front(), 1);
  // resize keeps the storage when the size is unchanged: warm batches allocate nothing.
  x_.resize(n, data.x.cols());
  y_.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    auto row = static_cast<Eigen::Index>(rows_.listed[static_cast<std::size_t>(i)]);
    x_.row(i) = data.x.row(row);
    y_(i) = data.y(row);
  }
  return batch{x_, y_};
}

} // namespace psim::sim
