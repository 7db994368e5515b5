// Client sampling: a partial Fisher-Yates draw of C live workers per round.
#include "sim/training/consistency/participants.hpp"

#include <algorithm>

namespace psim::sim {

participants::participants(std::size_t wanted, std::size_t workers, std::uint64_t seed)
  : wanted_(wanted), chosen_(workers, false), rng_(seed, "participation") {}

std::vector<std::uint32_t> participants::draw(const std::vector<bool>& live) {
  std::vector<std::uint32_t> pool;
  for (std::uint32_t w = 0; w < live.size(); ++w)
    if (live[w])
      pool.push_back(w);
  auto picks = std::min(wanted_, pool.size());
  for (std::size_t i = 0; i < picks; ++i)
    std::swap(pool[i], pool[i + rng_.below(pool.size() - i)]);
  pool.resize(picks);
  std::sort(pool.begin(), pool.end());
  std::fill(chosen_.begin(), chosen_.end(), false);
  for (auto w : pool)
    chosen_[w] = true;
  return pool;
}

void participants::add(std::uint32_t worker) { chosen_.at(worker) = true; }

std::vector<std::uint32_t> participants::members() const {
  std::vector<std::uint32_t> result;
  for (std::uint32_t w = 0; w < chosen_.size(); ++w)
    if (chosen_[w])
      result.push_back(w);
  return result;
}

} // namespace psim::sim
