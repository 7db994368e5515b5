// Tests for sim/data/sharding.cpp: label-skewed shards cover every row once, are never
// empty, grow more skewed as alpha shrinks, and are reported by shard_statistics.
#include "sim/data/data.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace psim::sim;

namespace {

/// `rows` labels cycling through `classes` classes.
vector cycling_labels(std::size_t rows, std::size_t classes) {
  vector labels(static_cast<Eigen::Index>(rows));
  for (Eigen::Index i = 0; i < labels.size(); ++i)
    labels[i] = static_cast<double>(static_cast<std::size_t>(i) % classes);
  return labels;
}

std::vector<std::size_t> all_rows_of(const vector& labels) {
  std::vector<std::size_t> rows(static_cast<std::size_t>(labels.size()));
  std::iota(rows.begin(), rows.end(), std::size_t{0});
  return rows;
}

/// Mean over shards of the total variation distance between the shard's label mix and
/// the overall one: 0 for identical mixes, near 1 when each shard holds other classes.
double mean_skew(const std::vector<shard>& shards, const std::vector<std::size_t>& rows,
                 const vector& labels, std::size_t classes) {
  std::vector<double> overall(classes, 0);
  for (auto r : rows)
    overall[static_cast<std::size_t>(labels[static_cast<Eigen::Index>(r)])] += 1.0 / rows.size();
  double total = 0;
  for (const auto& s : shards) {
    std::vector<double> mix(classes, 0);
    for (auto i = s.begin; i < s.begin + s.count; ++i)
      mix[static_cast<std::size_t>(labels[static_cast<Eigen::Index>(rows[i])])] += 1.0 / s.count;
    double distance = 0;
    for (std::size_t c = 0; c < classes; ++c)
      distance += std::abs(mix[c] - overall[c]) / 2;
    total += distance / static_cast<double>(shards.size());
  }
  return total;
}

} // namespace

TEST_SUITE("sim.sharding") {

TEST_CASE("label_skew puts every row in exactly one contiguous, non-empty shard") {
  struct combo {
    std::size_t rows, workers, classes;
    double alpha;
  };
  for (const combo& c : {combo{100, 4, 3, 0.5}, combo{10, 10, 2, 0.01}, combo{11, 10, 10, 0.001},
                         combo{1000, 16, 10, 0.1}, combo{50, 7, 5, 100}, combo{9, 3, 4, 1e-6}}) {
    std::size_t rows = c.rows, workers = c.workers, classes = c.classes;
    double alpha = c.alpha;
    INFO(rows, " rows, ", workers, " workers, ", classes, " classes, alpha ", alpha);
    auto labels = cycling_labels(rows, classes);
    auto order = all_rows_of(labels);
    random_stream rng(3, "sharding");
    auto shards = label_skew(order, labels, classes, workers, alpha, rng);
    REQUIRE(shards.size() == workers);
    std::size_t next = 0;
    for (const auto& s : shards) {
      CHECK(s.begin == next);
      CHECK(s.count >= 1);
      next += s.count;
    }
    CHECK(next == rows);
    auto sorted = order;
    std::sort(sorted.begin(), sorted.end());
    CHECK(sorted == all_rows_of(labels));
  }
}

TEST_CASE("label_skew grows more skewed as alpha shrinks") {
  const std::size_t classes = 10;
  auto labels = cycling_labels(5000, classes);
  std::vector<double> skews;
  for (double alpha : {1000.0, 10.0, 1.0, 0.1, 0.01}) {
    auto order = all_rows_of(labels);
    random_stream rng(42, "sharding");
    auto shards = label_skew(order, labels, classes, 10, alpha, rng);
    skews.push_back(mean_skew(shards, order, labels, classes));
  }
  INFO("mean skew for alpha 1000, 10, 1, 0.1, 0.01: ", skews[0], ", ", skews[1], ", ",
       skews[2], ", ", skews[3], ", ", skews[4]);
  CHECK(std::is_sorted(skews.begin(), skews.end()));
  CHECK(skews[0] < 0.05); // nearly the overall mix in every shard
  CHECK(skews[3] > 0.5);  // most of each shard from a few classes
  CHECK(skews[4] > 0.75);
}

TEST_CASE("the same seed gives the same shards and another seed other shards") {
  auto labels = cycling_labels(300, 3);
  auto shard_rows = [&](std::uint64_t seed) {
    auto order = all_rows_of(labels);
    random_stream rng(seed, "sharding");
    label_skew(order, labels, 3, 5, 0.5, rng);
    return order;
  };
  CHECK(shard_rows(1) == shard_rows(1));
  CHECK(shard_rows(1) != shard_rows(2));
}

TEST_CASE("prepare_data shards blobs by label and shard_statistics counts each shard") {
  data_config config;
  config.generator = "blobs";
  config.samples = 600;
  config.features = 2;
  config.centers = 3;
  config.classes = 3;
  config.test_fraction = 0.1;
  config.sharding = "label_skew";
  config.skew_alpha = 0.05;
  auto data = prepare_data(config, 9, 6);
  auto stats = shard_statistics(data);
  REQUIRE(stats.size() == 6);
  std::size_t total = 0;
  for (std::size_t w = 0; w < 6; ++w) {
    CHECK(stats[w].rows == data.shards[w].count);
    CHECK(stats[w].rows >= 1);
    REQUIRE(stats[w].label_counts.size() == 3);
    CHECK(std::accumulate(stats[w].label_counts.begin(), stats[w].label_counts.end(),
                          std::size_t{0}) == stats[w].rows);
    // With alpha = 0.05 nearly every shard is dominated by one class.
    total += *std::max_element(stats[w].label_counts.begin(), stats[w].label_counts.end());
  }
  CHECK(static_cast<double>(total) > 0.8 * static_cast<double>(data.train.rows()));
  config.sharding = "contiguous";
  auto even = shard_statistics(prepare_data(config, 9, 6));
  for (const auto& s : even)
    CHECK(s.rows == 90);
  config.classes = 0;
  CHECK(shard_statistics(prepare_data(config, 9, 6))[0].label_counts.empty());
  config.sharding = "label_skew";
  CHECK_THROWS_AS(prepare_data(config, 9, 6), data_error);
}

}
