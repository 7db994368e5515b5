// The table of samplings: each kind's maker, and the whole-shard case they share.
#include "sim/training/sampling/batch_sampler.hpp"

#include <algorithm>

namespace psim::sim {

namespace {

/// A batch that is the whole shard: the same contiguous block every time.
class whole_shard final : public batch_sampler {
public:
  explicit whole_shard(shard rows) : rows_(rows) {}

  void next(batch_rows& out) override {
    out.listed.clear();
    out.block = rows_;
  }

private:
  shard rows_;
};

} // namespace

std::size_t rows_per_batch(std::size_t shard_rows, std::size_t batch_size) {
  return batch_size == 0 ? shard_rows : std::min(batch_size, shard_rows);
}

std::unique_ptr<batch_sampler> make_batch_sampler(sampling_kind kind, shard rows,
                                                  std::size_t batch_size, random_stream rng) {
  // blocks keeps its own whole-shard case, which draws from the stream as it always did.
  if (kind == sampling_kind::blocks)
    return make_blocks_sampler(rows, batch_size, rng);
  if (rows_per_batch(rows.count, batch_size) == rows.count)
    return std::make_unique<whole_shard>(rows);
  if (kind == sampling_kind::replacement)
    return make_replacement_sampler(rows, batch_size, rng);
  return make_reshuffle_sampler(rows, batch_size, rng);
}

} // namespace psim::sim
