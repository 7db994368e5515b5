// Merging the server shards' metrics points: a whole row only once every shard sent its
// range of a version, and the same merge for the last row at the stop.
#include "actors/recorder/shard_rows.hpp"

#include <doctest/doctest.h>

using namespace psim::actors;

namespace {

metrics_point point(std::uint32_t shard, std::uint64_t version, double time,
                    std::vector<double> params, double staleness_sum = 0,
                    std::uint64_t staleness_count = 0) {
  return metrics_point{shard, version, time, 10 * version + shard, staleness_sum,
                       staleness_count, std::move(params)};
}

} // namespace

TEST_SUITE("actors.shard_rows") {

TEST_CASE("with one shard every point is a whole row") {
  shard_rows rows{1};
  auto whole = rows.add(point(0, 3, 0.5, {1, 2}));
  REQUIRE(whole);
  CHECK(whole->params == std::vector<double>{1, 2});
  CHECK(!rows.last());
}

TEST_CASE("a version makes a row once both shards sent it, in shard order") {
  shard_rows rows{2};
  CHECK(!rows.add(point(1, 1, 0.25, {3, 4}, 2, 1)));
  auto whole = rows.add(point(0, 1, 0.125, {1, 2}, 1, 2));
  REQUIRE(whole);
  CHECK(whole->version == 1);
  CHECK(whole->time == 0.25);
  CHECK(whole->gradients == 10); // shard 0's count
  CHECK(whole->staleness_sum == 3);
  CHECK(whole->staleness_count == 3);
  CHECK(whole->params == std::vector<double>{1, 2, 3, 4});
  CHECK(!rows.last()); // nothing left incomplete
}

TEST_CASE("at the stop the last row joins each shard's latest range without staleness") {
  shard_rows rows{2};
  CHECK(!rows.add(point(0, 1, 0.1, {1, 2})));
  CHECK(rows.add(point(1, 1, 0.2, {3, 4})));
  CHECK(!rows.add(point(0, 2, 0.3, {5, 6}, 4, 2)));
  auto last = rows.last();
  REQUIRE(last);
  CHECK(last->version == 1);
  CHECK(last->time == 0.3);
  CHECK(last->staleness_count == 0);
  CHECK(last->params == std::vector<double>{5, 6, 3, 4});
  CHECK(!rows.last());
}

TEST_CASE("merge_shards takes the smallest version and the latest time") {
  auto whole = merge_shards({point(0, 5, 0.5, {1}), point(1, 4, 0.75, {2})});
  CHECK(whole.version == 4);
  CHECK(whole.time == 0.75);
  CHECK(whole.gradients == 50);
  CHECK(whole.params == std::vector<double>{1, 2});
}

}
