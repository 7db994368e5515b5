// Injected staleness (training.inject_staleness): the server answers a worker with the
// parameters of version max(0, v - tau), tau drawn per reply from the worker's stream.
#pragma once

#include "sim/random/random.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace psim::sim {

/// The distribution of the injected staleness.
enum class injection_kind { none, constant, uniform, geometric };

/// How much staleness the server injects into each reply.
struct staleness_injection {
  injection_kind dist = injection_kind::none; ///< none | constant | uniform | geometric
  std::uint64_t value = 0; ///< constant: tau
  std::uint64_t max = 0;   ///< uniform: tau in 0..max; geometric: the cap
  double mean = 0;         ///< geometric: mean before the cap

  /// True when staleness is injected at all.
  bool enabled() const { return dist != injection_kind::none; }

  /// The largest tau it can draw (the server keeps bound() + 1 versions).
  std::uint64_t bound() const { return dist == injection_kind::constant ? value : max; }

  /// Draws one tau from `rng`.
  std::uint64_t draw(random_stream& rng) const;
};

/// The name scenario files write for `kind`.
std::string_view to_string(injection_kind kind);

/// The injection kind called `name`, if there is one.
std::optional<injection_kind> injection_kind_named(std::string_view name);

/// Every injection kind's name but none, in the order the reference lists them.
std::vector<std::string_view> injection_kind_names();

/// The most memory a server's history of parameter versions may take, in bytes (1 GiB).
inline constexpr std::uint64_t max_history_bytes = std::uint64_t{1} << 30;

} // namespace psim::sim
