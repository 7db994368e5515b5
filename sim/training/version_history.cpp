// The ring of parameter versions and the per-worker draws of injected staleness.
#include "sim/training/version_history.hpp"

#include "sim/cluster/actor_id.hpp"

#include <algorithm>

namespace psim::sim {

namespace {

// Answers remembered per worker: enough for resends of pushes still under way.
constexpr std::size_t remembered_labels = 64;

} // namespace

version_history::version_history(const staleness_injection& injection, std::uint64_t seed,
                                 std::size_t workers, const Eigen::Ref<const vector>& theta)
  : injection_(injection) {
  if (!enabled())
    return;
  ring_.resize(injection.bound() + 1);
  labels_.resize(workers);
  streams_.reserve(workers);
  for (std::size_t w = 0; w < workers; ++w)
    streams_.emplace_back(seed, "staleness/" + to_string(actor_id::worker(static_cast<std::uint32_t>(w))));
  restart(0, theta);
}

void version_history::record(std::uint64_t version, const Eigen::Ref<const vector>& theta) {
  if (!enabled())
    return;
  ring_[version % ring_.size()] = theta;
  if (version >= ring_.size())
    oldest_ = std::max(oldest_, version - ring_.size() + 1);
}

void version_history::restart(std::uint64_t version, const Eigen::Ref<const vector>& theta) {
  if (!enabled())
    return;
  oldest_ = version;
  ring_[version % ring_.size()] = theta;
  for (auto& l : labels_)
    l.clear();
}

std::uint64_t version_history::serve(std::uint32_t worker, std::uint64_t version) {
  auto& labels = labels_.at(worker);
  if (auto it = labels.find(version); it != labels.end())
    return it->second;
  auto tau = injection_.draw(streams_.at(worker));
  auto v = std::max(oldest_, version >= tau ? version - tau : 0);
  labels.emplace(version, v);
  if (labels.size() > remembered_labels)
    labels.erase(labels.begin());
  return v;
}

const vector& version_history::at(std::uint64_t version) const {
  return ring_[version % ring_.size()];
}

std::uint64_t version_history::served(std::uint32_t worker, std::uint64_t label) const {
  if (!enabled())
    return label;
  const auto& labels = labels_.at(worker);
  auto it = labels.find(label);
  return it == labels.end() ? label : it->second;
}

} // namespace psim::sim
