// The mini-batch samplings: reshuffle reads whole permutations with full batches,
// replacement draws rows independently, blocks is the earlier batch_order bit for bit,
// and a batch of the whole shard is always its contiguous block.
#include "sim/training/batches.hpp"
#include "sim/training/sampling/minibatches.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

using namespace psim::sim;

namespace {

/// The rows of the next `count` batches of `sampler`, in order.
std::vector<std::size_t> stream_of(batch_sampler& sampler, std::size_t count,
                                   std::size_t batch) {
  std::vector<std::size_t> rows;
  batch_rows out;
  for (std::size_t b = 0; b < count; ++b) {
    sampler.next(out);
    REQUIRE(out.listed.size() == batch);
    rows.insert(rows.end(), out.listed.begin(), out.listed.end());
  }
  return rows;
}

} // namespace

TEST_SUITE("sim.sampling") {

TEST_CASE("the sampling names read back and reshuffle comes first") {
  CHECK(sampling_kind_names() == std::vector<std::string_view>{"reshuffle", "replacement",
                                                               "blocks"});
  for (auto name : sampling_kind_names())
    CHECK(to_string(*sampling_kind_named(name)) == name);
  CHECK_FALSE(sampling_kind_named("shuffle"));
}

TEST_CASE("reshuffle: full batches that read one permutation of the shard after another") {
  // 23 rows, batches of 5: 23 batches read exactly 5 permutations of the shard.
  auto sampler = make_batch_sampler(sampling_kind::reshuffle, shard{100, 23}, 5,
                                    random_stream{42, "batches/worker-1"});
  auto rows = stream_of(*sampler, 23, 5);
  REQUIRE(rows.size() == 5 * 23u);
  std::vector<std::vector<std::size_t>> epochs;
  for (std::size_t e = 0; e < 5; ++e) {
    std::vector<std::size_t> epoch(rows.begin() + e * 23, rows.begin() + (e + 1) * 23);
    std::sort(epoch.begin(), epoch.end());
    for (std::size_t i = 0; i < 23; ++i)
      CHECK(epoch[i] == 100 + i);
    epochs.emplace_back(rows.begin() + e * 23, rows.begin() + (e + 1) * 23);
  }
  CHECK(epochs[0] != epochs[1]); // a fresh order every epoch
}

TEST_CASE("reshuffle: each permutation is the batch stream's shuffle of the previous one") {
  random_stream reference{7, "batches/worker-0"};
  std::vector<std::size_t> order{0, 1, 2, 3, 4, 5};
  std::vector<std::size_t> expected;
  for (int epoch = 0; epoch < 3; ++epoch) {
    reference.shuffle(order);
    for (auto i : order)
      expected.push_back(10 + i);
  }
  auto sampler = make_batch_sampler(sampling_kind::reshuffle, shard{10, 6}, 4,
                                    random_stream{7, "batches/worker-0"});
  auto rows = stream_of(*sampler, 4, 4); // 16 of the 18 rows
  CHECK(rows == std::vector<std::size_t>(expected.begin(), expected.begin() + 16));
}

TEST_CASE("replacement: rows drawn uniformly and independently, repeats allowed") {
  random_stream reference{5, "batches/worker-2"};
  auto sampler = make_batch_sampler(sampling_kind::replacement, shard{50, 10}, 4,
                                    random_stream{5, "batches/worker-2"});
  auto rows = stream_of(*sampler, 500, 4);
  bool repeated = false;
  for (std::size_t b = 0; b < 500; ++b) {
    for (std::size_t i = 0; i < 4; ++i)
      CHECK(rows[b * 4 + i] == 50 + reference.below(10));
    std::vector<std::size_t> batch(rows.begin() + b * 4, rows.begin() + (b + 1) * 4);
    std::sort(batch.begin(), batch.end());
    repeated |= std::adjacent_find(batch.begin(), batch.end()) != batch.end();
  }
  CHECK(repeated); // P(no repeat in 500 batches) = (0.504)^500
}

TEST_CASE("blocks: the earlier batch_order, block for block") {
  batch_order order{shard{100, 23}, 5, random_stream{42, "batches/worker-1"}};
  auto sampler = make_batch_sampler(sampling_kind::blocks, shard{100, 23}, 5,
                                    random_stream{42, "batches/worker-1"});
  batch_rows out;
  for (int b = 0; b < 20; ++b) {
    sampler->next(out);
    auto expected = order.next();
    CHECK(out.listed.empty());
    CHECK(out.block.begin == expected.begin);
    CHECK(out.block.count == expected.count);
  }
}

TEST_CASE("a batch of zero rows or more than the shard is the shard's block, in every sampling") {
  for (auto kind : {sampling_kind::reshuffle, sampling_kind::replacement, sampling_kind::blocks})
    for (std::size_t size : {0u, 9u, 50u}) {
      INFO(to_string(kind), " batch ", size);
      auto sampler = make_batch_sampler(kind, shard{3, 9}, size, random_stream{1, "b"});
      batch_rows out;
      for (int b = 0; b < 3; ++b) {
        sampler->next(out);
        CHECK(out.listed.empty());
        CHECK(out.block.begin == 3u);
        CHECK(out.block.count == 9u);
      }
    }
}

TEST_CASE("a block is viewed in place; listed rows are gathered in batch order") {
  dataset data;
  data.x.resize(12, 2);
  data.y.resize(12);
  for (Eigen::Index i = 0; i < 12; ++i) {
    data.x.row(i) << static_cast<double>(i), static_cast<double>(-i);
    data.y(i) = 100.0 + static_cast<double>(i);
  }
  minibatches blocks{sampling_kind::blocks, shard{2, 8}, 0, random_stream{1, "b"}};
  auto whole = blocks.next(data);
  CHECK(whole.x.data() == data.x.data() + 2 * 2); // a view, no copy
  CHECK(whole.rows() == 8u);
  minibatches shuffled{sampling_kind::reshuffle, shard{2, 8}, 3, random_stream{1, "b"}};
  for (int b = 0; b < 5; ++b) {
    auto batch = shuffled.next(data);
    REQUIRE(batch.rows() == 3u);
    for (Eigen::Index i = 0; i < 3; ++i) {
      auto row = static_cast<double>(shuffled.rows().listed[static_cast<std::size_t>(i)]);
      CHECK(batch.x(i, 0) == row);
      CHECK(batch.x(i, 1) == -row);
      CHECK(batch.y(i) == 100 + row);
    }
  }
}

}
