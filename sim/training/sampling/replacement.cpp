// "replacement": SGD with replacement: each row of each batch is drawn uniformly from
// the shard, independently of every other draw (a batch may hold a row twice).
#include "sim/training/sampling/batch_sampler.hpp"

namespace psim::sim {

namespace {

class replacement_sampler final : public batch_sampler {
public:
  replacement_sampler(shard rows, std::size_t batch_size, random_stream rng)
      : rows_(rows), batch_rows_(rows_per_batch(rows.count, batch_size)), rng_(rng) {}

  void next(batch_rows& out) override {
    out.listed.resize(batch_rows_);
    for (auto& row : out.listed)
      row = rows_.begin + static_cast<std::size_t>(rng_.below(rows_.count));
  }

private:
  shard rows_;
  std::size_t batch_rows_;
  random_stream rng_; // stream "batches/worker-<id>"
};

} // namespace

std::unique_ptr<batch_sampler> make_replacement_sampler(shard rows, std::size_t batch_size,
                                                        random_stream rng) {
  return std::make_unique<replacement_sampler>(rows, batch_size, rng);
}

} // namespace psim::sim
