// The staleness weightings, one table entry each: a new weighting is a new enum value
// and one row here.
#include "sim/training/staleness_weighting.hpp"

#include <array>

namespace psim::sim {

namespace {

/// One weighting: its kind, its name and its rate as a function of (rate, tau).
struct weighting_entry {
  staleness_weighting kind;
  std::string_view name;
  double (*rate)(double rate, std::uint64_t tau);
};

/// none: every gradient at the base rate.
double unweighted(double rate, std::uint64_t) { return rate; }

/// inverse: rate / max(1, tau).
double inverse(double rate, std::uint64_t tau) {
  return tau > 1 ? rate / static_cast<double>(tau) : rate;
}

constexpr std::array<weighting_entry, 2> weightings{{
  {staleness_weighting::none, "none", unweighted},
  {staleness_weighting::inverse, "inverse", inverse},
}};

const weighting_entry& entry_of(staleness_weighting weighting) {
  for (const auto& e : weightings)
    if (e.kind == weighting)
      return e;
  return weightings.front();
}

} // namespace

std::string_view to_string(staleness_weighting weighting) { return entry_of(weighting).name; }

std::optional<staleness_weighting> staleness_weighting_named(std::string_view name) {
  for (const auto& e : weightings)
    if (e.name == name)
      return e.kind;
  return std::nullopt;
}

std::vector<std::string_view> staleness_weighting_names() {
  std::vector<std::string_view> names;
  for (const auto& e : weightings)
    names.push_back(e.name);
  return names;
}

double weighted_rate(staleness_weighting weighting, double rate, std::uint64_t tau) {
  return entry_of(weighting).rate(rate, tau);
}

} // namespace psim::sim
