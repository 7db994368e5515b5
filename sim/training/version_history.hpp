// What a server shard keeps for injected staleness: a ring of its last bound + 1
// parameter versions, each worker's stream of tau, and which version it served under
// which label (the version a reply carries, so that workers see replies in order).
#pragma once

#include "sim/data/dataset.hpp"
#include "sim/training/injected_staleness.hpp"

#include <cstdint>
#include <map>
#include <vector>

namespace psim::sim {

/// The parameter versions a shard may still serve and what it served each worker.
class version_history {
public:
  /// A history under `injection` for `workers` workers of the run seeded `seed`,
  /// starting from `theta` at version 0. Keeps nothing when injection is off.
  version_history(const staleness_injection& injection, std::uint64_t seed,
                  std::size_t workers, const Eigen::Ref<const vector>& theta);

  /// True when staleness is injected.
  bool enabled() const { return injection_.enabled(); }

  /// Keeps `theta` as version `version` (called after every update).
  void record(std::uint64_t version, const Eigen::Ref<const vector>& theta);

  /// Forgets everything but `theta` as version `version` (a restore from a checkpoint).
  void restart(std::uint64_t version, const Eigen::Ref<const vector>& theta);

  /// The version to answer `worker` with at the current `version`: max(oldest kept,
  /// version - tau), tau drawn from the worker's stream; a repeated answer under the
  /// same `version` serves the same one again without a draw.
  std::uint64_t serve(std::uint32_t worker, std::uint64_t version);

  /// The parameters of `version`, which serve() returned.
  const vector& at(std::uint64_t version) const;

  /// The version whose parameters `worker` got in the answer labelled `label`
  /// (`label` itself when there was none).
  std::uint64_t served(std::uint32_t worker, std::uint64_t label) const;

  /// The oldest version kept.
  std::uint64_t oldest() const { return oldest_; }

private:
  staleness_injection injection_;
  std::vector<vector> ring_;                   // version v in slot v mod size
  std::uint64_t oldest_ = 0;                   // oldest version in the ring
  std::vector<random_stream> streams_;         // per worker: "staleness/worker-<i>"
  std::vector<std::map<std::uint64_t, std::uint64_t>> labels_; // per worker: label -> served
};

} // namespace psim::sim
