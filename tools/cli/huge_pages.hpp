// Transparent huge pages for big runs. An update of a run with many workers touches
// actor memory spread over gigabytes: with 4 KB pages most of its cache misses miss the
// TLB too. glibc backs malloc's memory with huge pages when GLIBC_TUNABLES holds
// glibc.malloc.hugetlb=1 at start-up, and a program cannot ask for it later, so psim
// starts itself again, once, with the tunable added.
#pragma once

#include "sim/scenario/scenario.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace psim::cli {

/// Estimated bytes from which a run starts itself again with huge pages (below, the
/// actors fit the TLB's reach and the restart would only cost its 25 ms).
constexpr std::uint64_t huge_pages_from = std::uint64_t{32} << 20;

/// Gradients per worker below which a run stopped by updates keeps 4 KB pages: its set-up
/// outweighs its updates, and on a virtual machine that hands idle free memory back to
/// its host (the development machine) huge pages cost more to fault in than they save.
constexpr double huge_pages_from_gradients_per_worker = 16;

/// Whether a run of `scn`, estimated at `bytes`, is worth a restart on huge pages: at
/// least huge_pages_from, and not stopped by updates before its workers computed
/// huge_pages_from_gradients_per_worker gradients each.
bool worth_huge_pages(const sim::scenario& scn, std::uint64_t bytes);

/// The GLIBC_TUNABLES a restart sets, given the current GLIBC_TUNABLES and LD_PRELOAD
/// (nullptr: unset); nothing when there is to be no restart: the tunable is set already
/// (to any value: the caller's choice, and the restarted process's mark), or LD_PRELOAD
/// is (a preloaded tool or allocator, valgrind's among them, owns malloc).
std::optional<std::string> huge_pages_tunables(const char* tunables, const char* preload);

/// Replaces this process with the same command under glibc.malloc.hugetlb=1, keeping
/// the rest of GLIBC_TUNABLES; returns when huge_pages_tunables says no restart, in a
/// sanitizer build, and when the restart fails.
void restart_with_huge_pages();

} // namespace psim::cli
