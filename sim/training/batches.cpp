// The mini-batch order of a shard: blocks of batch_rows rows, reshuffled per epoch.
#include "sim/training/batches.hpp"

#include <algorithm>

namespace psim::sim {

batch_order::batch_order(shard rows, std::size_t batch_size, random_stream rng)
    : rows_(rows),
      batch_rows_(batch_size == 0 ? rows.count : std::min(batch_size, rows.count)),
      rng_(rng) {
  auto blocks = (rows_.count + batch_rows_ - 1) / batch_rows_;
  for (std::size_t i = 0; i < blocks; ++i)
    order_.push_back(i);
  position_ = blocks; // shuffle before the first batch
}

shard batch_order::next() {
  if (position_ == order_.size()) {
    rng_.shuffle(order_);
    position_ = 0;
  }
  auto begin = order_[position_++] * batch_rows_;
  return shard{rows_.begin + begin, std::min(batch_rows_, rows_.count - begin)};
}

} // namespace psim::sim
