// How a worker draws its mini-batches from its shard (training.sampling): the kinds,
// with the one printer and the one parser of their names.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace psim::sim {

/// How the rows of each mini-batch are chosen from a worker's shard.
enum class sampling_kind {
  reshuffle,   ///< a fresh permutation every epoch; full batches across epoch boundaries
  replacement, ///< every row drawn independently and uniformly
  blocks,      ///< fixed blocks of consecutive rows, in a new order every epoch
};

/// The name scenario files write for `kind`.
std::string_view to_string(sampling_kind kind);

/// The sampling called `name`, if there is one.
std::optional<sampling_kind> sampling_kind_named(std::string_view name);

/// Every sampling's name, in the order the reference lists them.
std::vector<std::string_view> sampling_kind_names();

} // namespace psim::sim
