// Merging the server shards' metrics points into whole rows.
#include "actors/recorder/shard_rows.hpp"

#include <algorithm>

namespace psim::actors {

namespace {

bool all_present(const std::vector<std::optional<metrics_point>>& parts) {
  return std::all_of(parts.begin(), parts.end(), [](const auto& x) { return x.has_value(); });
}

std::vector<metrics_point> take_all(std::vector<std::optional<metrics_point>>& parts) {
  std::vector<metrics_point> result;
  for (auto& part : parts)
    result.push_back(std::move(*part));
  return result;
}

} // namespace

metrics_point merge_shards(std::vector<metrics_point> parts) {
  metrics_point whole{0, parts.front().version, 0, parts.front().gradients, 0, 0, {}};
  for (auto& part : parts) {
    whole.version = std::min(whole.version, part.version);
    whole.time = std::max(whole.time, part.time);
    whole.staleness_sum += part.staleness_sum;
    whole.staleness_count += part.staleness_count;
    whole.params.insert(whole.params.end(), part.params.begin(), part.params.end());
  }
  return whole;
}

shard_rows::shard_rows(std::size_t shards) : shards_(shards), latest_(shards) {
}

std::optional<metrics_point> shard_rows::add(const metrics_point& p) {
  if (shards_ == 1)
    return p;
  auto& parts = pending_[p.version];
  parts.resize(shards_);
  parts[p.shard] = p;
  latest_[p.shard] = p;
  if (!all_present(parts))
    return std::nullopt;
  auto whole = merge_shards(take_all(parts));
  pending_.erase(pending_.begin(), pending_.upper_bound(p.version));
  return whole;
}

std::optional<metrics_point> shard_rows::last() {
  if (pending_.empty() || !all_present(latest_))
    return std::nullopt;
  pending_.clear();
  auto parts = take_all(latest_);
  latest_.assign(shards_, std::nullopt);
  for (auto& part : parts) {
    part.staleness_sum = 0;
    part.staleness_count = 0;
  }
  return merge_shards(std::move(parts));
}

} // namespace psim::actors
