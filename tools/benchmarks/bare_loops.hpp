// The bare loops the big-model benchmark (copies_bench.cpp) times psim against: the
// same model, shards, batches and learning rate, no actors; and a replay of a run's
// own order of computations and updates. In their own translation
// unit, so that a change to the benchmark's other code does not move their code (the
// same loop timed 7-15 % apart in two builds of one file).
#pragma once

#include "sim/scenario/scenario.hpp"
#include "tools/benchmarks/cpu_time.hpp"

#include <cstdint>
#include <vector>

namespace psim::bench {

/// How a bare loop computes and applies its gradients.
enum class bare_loop {
  at_once,        ///< each gradient on the current θ, applied at once, θ in place
  in_flight,      ///< each gradient on the current θ, applied one per worker later
  one_pass,       ///< batch 1: as at_once, θ stepped from the residual in the pass that
                  ///< computes each entry of the gradient, as psim's server steps SGD
  stale_versions, ///< each gradient on the θ `lag` updates old, each θ a new vector
};

/// CPU seconds of `gradients` gradients of `scn`'s model and data, worker by worker in
/// turn, each on the next batch of that worker's shard, and of the two evaluations that
/// psim's run writes as its metrics rows. `lag`: for in_flight the gradients in flight,
/// for stale_versions the staleness of every gradient; unused otherwise.
double time_bare_loop(const sim::scenario& scn, std::uint64_t gradients, bare_loop kind,
                      std::size_t lag);

/// One computation or update of a run, in the order the run took them (its events.csv).
struct run_step {
  bool apply = false;        ///< true: the server applies `worker`'s gradient
  std::uint32_t worker = 0;  ///< who computes, or whose gradient is applied
  std::uint64_t version = 0; ///< the version a computation reads (unused by an apply)
};

/// CPU seconds of the arithmetic of `steps` on `scn`'s model and data, in their order:
/// each computation on its worker's next batch and its version, each version a vector
/// of its own until its last reader is done, each apply writing the next version into
/// the vector freed most recently (as psim's server reuses its newest free message);
/// and of the two evaluations. Async's arithmetic in the run's own order, without actors.
double time_replay(const sim::scenario& scn, const std::vector<run_step>& steps);

} // namespace psim::bench
