// Several server shards each send a metrics point per version with their own key range;
// a metrics row needs the whole parameter vector. This merges the shards' points into
// whole points, with one merge rule for the running rows and the last row.
#pragma once

#include "actors/messages.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace psim::actors {

/// One point from one point per shard, in shard order: the smallest version, the
/// latest time, shard 0's gradient count, the staleness sums added up, and the
/// shards' ranges concatenated.
metrics_point merge_shards(std::vector<metrics_point> parts);

/// The points of the shards that have not yet made a whole row.
class shard_rows {
public:
  /// Rows of a run with `shards` server shards (1: every point is a whole row).
  explicit shard_rows(std::size_t shards);

  /// Takes `p`; returns the whole point of its version once every shard has sent it.
  std::optional<metrics_point> add(const metrics_point& p);

  /// At the stop: when some shard's points never made a whole row, the whole point of
  /// every shard's latest range (without staleness: the shards' latest points span
  /// different intervals, some already counted in earlier rows); nothing otherwise.
  std::optional<metrics_point> last();

private:
  std::size_t shards_;
  std::map<std::uint64_t, std::vector<std::optional<metrics_point>>> pending_;
  std::vector<std::optional<metrics_point>> latest_;
};

} // namespace psim::actors
