// The names of the mini-batch samplings, in one table.
#include "sim/training/sampling/sampling_kind.hpp"

#include <array>
#include <utility>

namespace psim::sim {

namespace {

constexpr std::array<std::pair<sampling_kind, std::string_view>, 3> names{{
  {sampling_kind::reshuffle, "reshuffle"},
  {sampling_kind::replacement, "replacement"},
  {sampling_kind::blocks, "blocks"},
}};

} // namespace

std::string_view to_string(sampling_kind kind) {
  for (const auto& [k, name] : names)
    if (k == kind)
      return name;
  return "unknown";
}

std::optional<sampling_kind> sampling_kind_named(std::string_view name) {
  for (const auto& [k, n] : names)
    if (n == name)
      return k;
  return std::nullopt;
}

std::vector<std::string_view> sampling_kind_names() {
  std::vector<std::string_view> out;
  for (const auto& [k, name] : names)
    out.push_back(name);
  return out;
}

} // namespace psim::sim
