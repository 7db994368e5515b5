// The mini-batch order of a shard: every row once per epoch, blocks shuffled per epoch
// with the worker's batch stream exactly as the worker always did.
#include "sim/training/batches.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

using psim::sim::batch_order;
using psim::sim::random_stream;
using psim::sim::shard;

TEST_SUITE("sim.batches") {

TEST_CASE("every row of the shard is visited exactly once per epoch") {
  batch_order order{shard{100, 23}, 5, random_stream{42, "batches/worker-1"}};
  CHECK(order.batch_rows() == 5);
  CHECK(order.batches() == 5);
  for (int epoch = 0; epoch < 3; ++epoch) {
    std::vector<int> visits(23, 0);
    for (std::size_t b = 0; b < order.batches(); ++b) {
      auto rows = order.next();
      for (auto r = rows.begin; r < rows.begin + rows.count; ++r)
        ++visits.at(r - 100);
    }
    CHECK(std::all_of(visits.begin(), visits.end(), [](int v) { return v == 1; }));
  }
}

TEST_CASE("each epoch is a shuffle of the blocks with the batch stream") {
  // The order the worker used before batch_order: blocks 0..n-1, shuffled by the
  // stream at the start of each epoch, the last block short.
  random_stream reference{7, "batches/worker-0"};
  std::vector<std::size_t> blocks{0, 1, 2, 3};
  batch_order order{shard{10, 14}, 4, random_stream{7, "batches/worker-0"}};
  for (int epoch = 0; epoch < 4; ++epoch) {
    reference.shuffle(blocks);
    for (auto block : blocks) {
      auto rows = order.next();
      CHECK(rows.begin == 10 + block * 4);
      CHECK(rows.count == (block == 3 ? 2u : 4u));
    }
  }
}

TEST_CASE("a batch size of zero or above the shard takes the whole shard") {
  batch_order whole{shard{3, 9}, 0, random_stream{1, "b"}};
  batch_order larger{shard{3, 9}, 50, random_stream{1, "b"}};
  for (auto* order : {&whole, &larger}) {
    CHECK(order->batches() == 1);
    auto rows = order->next();
    CHECK(rows.begin == 3);
    CHECK(rows.count == 9);
  }
}

}
