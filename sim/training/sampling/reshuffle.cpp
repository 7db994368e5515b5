// "reshuffle": SGD with random reshuffling. The batches read one endless sequence of
// permutations of the shard, a fresh one drawn whenever the last is used up, so every
// batch has exactly batch_size rows and every row appears once per permutation.
#include "sim/training/sampling/batch_sampler.hpp"

namespace psim::sim {

namespace {

class reshuffle_sampler final : public batch_sampler {
public:
  reshuffle_sampler(shard rows, std::size_t batch_size, random_stream rng)
      : rows_(rows), batch_rows_(rows_per_batch(rows.count, batch_size)), rng_(rng) {
    for (std::size_t i = 0; i < rows.count; ++i)
      permutation_.push_back(i);
    position_ = permutation_.size(); // draw a permutation before the first batch
  }

  void next(batch_rows& out) override {
    out.listed.clear();
    while (out.listed.size() < batch_rows_) {
      if (position_ == permutation_.size()) {
        rng_.shuffle(permutation_);
        position_ = 0;
      }
      out.listed.push_back(rows_.begin + permutation_[position_++]);
    }
  }

private:
  shard rows_;
  std::size_t batch_rows_;
  std::vector<std::size_t> permutation_; // offsets into the shard, this epoch's order
  std::size_t position_;                 // next place in permutation_
  random_stream rng_;                    // stream "batches/worker-<id>"
};

} // namespace

std::unique_ptr<batch_sampler> make_reshuffle_sampler(shard rows, std::size_t batch_size,
                                                      random_stream rng) {
  return std::make_unique<reshuffle_sampler>(rows, batch_size, rng);
}

} // namespace psim::sim
