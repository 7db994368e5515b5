// Injected staleness: the draw of tau for each distribution, and the names.
#include "sim/training/injected_staleness.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <utility>

namespace psim::sim {

namespace {

constexpr std::array<std::pair<injection_kind, std::string_view>, 4> kinds{{
  {injection_kind::none, "none"},
  {injection_kind::constant, "constant"},
  {injection_kind::uniform, "uniform"},
  {injection_kind::geometric, "geometric"},
}};

// A geometric draw on 0, 1, 2, ... with mean `mean` (success probability 1 / (1 + mean)),
// by inversion of one uniform draw.
std::uint64_t geometric_draw(double mean, random_stream& rng) {
  if (mean <= 0)
    return 0;
  double u = 1 - rng.uniform(); // in (0, 1]
  double k = std::floor(std::log(u) / std::log(mean / (1 + mean)));
  return k >= 1e18 ? std::uint64_t{1} << 62 : static_cast<std::uint64_t>(k);
}

} // namespace

std::uint64_t staleness_injection::draw(random_stream& rng) const {
  switch (dist) {
    case injection_kind::constant: return value;
    case injection_kind::uniform: return rng.below(max + 1);
    case injection_kind::geometric: return std::min(max, geometric_draw(mean, rng));
    case injection_kind::none: break;
  }
  return 0;
}

std::string_view to_string(injection_kind kind) {
  for (const auto& [k, name] : kinds)
    if (k == kind)
      return name;
  return "none";
}

std::optional<injection_kind> injection_kind_named(std::string_view name) {
  for (const auto& [k, text] : kinds)
    if (text == name)
      return k;
  return std::nullopt;
}

std::vector<std::string_view> injection_kind_names() {
  std::vector<std::string_view> names;
  for (const auto& [k, name] : kinds)
    if (k != injection_kind::none)
      names.push_back(name);
  return names;
}

} // namespace psim::sim
