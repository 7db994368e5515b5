// How many parameter-sized buffers the actors keep for reuse: one place for the actors
// that keep them and for the memory estimate (sim/scenario/memory_estimate) that counts
// them.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace psim::sim {

/// From this many parameters on a model is big: a worker whose gradient has a residual
/// form (one row, no l2) pushes the residual when it reads its parameters in place in
/// one process, else writes the gradient when its computation ends, into one of its
/// thread's gradient messages (below, the gradients of a few dozen workers stay in cache
/// anyway).
inline constexpr std::uint64_t big_model_from = 8'192;

/// Gradient messages each thread keeps for the big models' workers that write their
/// gradients whole (local_update, several shards, several nodes): such a gradient lives
/// from the end of its computation until the server has applied it, so few are in
/// flight at once; any beyond these are allocated and, once applied, freed.
inline constexpr std::size_t thread_gradients_kept = 32;

/// Parameter messages a server shard of `parameters` parameters with `workers` workers
/// keeps for reuse: about 1 MB of them (as many as are in flight for small models), or
/// one per worker and one more, up to 17 and 256 MB (a version on its way to each of 16
/// workers: fewer made big models allocate and fault in a fresh vector at many updates),
/// at least 4, at most 64.
constexpr std::size_t server_messages_kept(std::uint64_t parameters, std::uint64_t workers) {
  auto doubles = std::max<std::uint64_t>(parameters, 1);
  auto by_size = (std::uint64_t{1} << 20) / doubles;
  auto by_workers = std::min<std::uint64_t>(std::min<std::uint64_t>(workers, 16) + 1,
                                            (std::uint64_t{1} << 25) / doubles);
  return static_cast<std::size_t>(std::clamp<std::uint64_t>(std::max(by_size, by_workers), 4, 64));
}

} // namespace psim::sim
