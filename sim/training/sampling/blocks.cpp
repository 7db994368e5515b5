// "blocks": the earlier mini-batches, kept bit for bit for comparison: fixed blocks of
// consecutive rows (the last one short), in a new random order every epoch.
#include "sim/training/batches.hpp"
#include "sim/training/sampling/batch_sampler.hpp"

namespace psim::sim {

namespace {

class blocks_sampler final : public batch_sampler {
public:
  blocks_sampler(shard rows, std::size_t batch_size, random_stream rng)
      : order_(rows, batch_size, rng) {}

  void next(batch_rows& out) override {
    out.listed.clear();
    out.block = order_.next();
  }

private:
  batch_order order_;
};

} // namespace

std::unique_ptr<batch_sampler> make_blocks_sampler(shard rows, std::size_t batch_size,
                                                   random_stream rng) {
  return std::make_unique<blocks_sampler>(rows, batch_size, rng);
}

} // namespace psim::sim
