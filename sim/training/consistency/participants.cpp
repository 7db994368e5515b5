// Client sampling: a partial Fisher-Yates draw of C live workers per round, over the
// live workers' ranks without listing them: the same draws as shuffling the full list.
#include "sim/training/consistency/participants.hpp"

#include <algorithm>
#include <unordered_map>

namespace psim::sim {

participants::participants(std::size_t wanted, std::size_t workers, std::uint64_t seed)
  : wanted_(wanted), chosen_(workers, false), live_(workers), rng_(seed, "participation") {}

// Position j of the list of live workers holds live_.nth(j) until a swap moves another
// worker there (`moved`); positions before i are final, so only the picks are stored.
const std::vector<std::uint32_t>& participants::draw() {
  for (auto w : members_)
    chosen_[w] = false;
  touched_ += members_.size();
  members_.clear();
  auto pool = live_.size();
  auto picks = std::min(wanted_, pool);
  std::unordered_map<std::size_t, std::uint32_t> moved;
  moved.reserve(picks);
  auto at = [&](std::size_t j) {
    ++touched_;
    auto it = moved.find(j);
    return it == moved.end() ? live_.nth(j) : it->second;
  };
  for (std::size_t i = 0; i < picks; ++i) {
    auto r = i + rng_.below(pool - i);
    auto here = at(i);
    members_.push_back(at(r));
    moved[r] = here;
  }
  std::sort(members_.begin(), members_.end());
  for (auto w : members_)
    chosen_[w] = true;
  touched_ += members_.size();
  return members_;
}

void participants::add(std::uint32_t worker) {
  if (chosen_.at(worker))
    return;
  chosen_[worker] = true;
  ++touched_;
  members_.insert(std::upper_bound(members_.begin(), members_.end(), worker), worker);
}

} // namespace psim::sim
