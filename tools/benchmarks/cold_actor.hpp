// What one cold actor costs CAF 0.17: a bare program whose server wakes a uniformly
// random one of many actors per update, which answers at once (two messages, no clock).
// With 100,000 actors each wake finds its actor out of cache; with 100, in it. The
// difference bounds from below what psim's growth with the workers can be, since each
// of its updates wakes three per-worker actors.
#pragma once

#include <cstdint>

namespace psim::bench {

/// CPU seconds per wake of the bare program with `actors` actors: the difference of a
/// run of `wakes` wakes and one of twice as many.
double cold_actor_cost(std::uint32_t actors, std::uint64_t wakes);

} // namespace psim::bench
