// The staleness weightings, one table entry each: a new weighting is a new enum value
// and one row here.
#include "sim/training/staleness_weighting.hpp"

#include <array>
#include <cmath>

namespace psim::sim {

namespace {

/// One weighting: its kind, its name and its factor as a function of tau.
struct weighting_entry {
  weighting_kind kind;
  std::string_view name;
  double (*factor)(const staleness_weighting& w, std::uint64_t tau);
};

/// none: every gradient at full weight.
double unweighted(const staleness_weighting&, std::uint64_t) { return 1; }

/// inverse: 1 / max(1, tau).
double inverse(const staleness_weighting&, std::uint64_t tau) {
  return tau > 1 ? 1 / static_cast<double>(tau) : 1;
}

/// polynomial: 1 / (1 + tau)^a.
double polynomial(const staleness_weighting& w, std::uint64_t tau) {
  return 1 / std::pow(1 + static_cast<double>(tau), w.a);
}

/// threshold: 1 up to max, 0 above.
double threshold(const staleness_weighting& w, std::uint64_t tau) {
  return tau <= w.max ? 1 : 0;
}

/// exponential: base^tau.
double exponential(const staleness_weighting& w, std::uint64_t tau) {
  return std::pow(w.base, static_cast<double>(tau));
}

constexpr std::array<weighting_entry, 5> weightings{{
  {weighting_kind::none, "none", unweighted},
  {weighting_kind::inverse, "inverse", inverse},
  {weighting_kind::polynomial, "polynomial", polynomial},
  {weighting_kind::threshold, "threshold", threshold},
  {weighting_kind::exponential, "exponential", exponential},
}};

const weighting_entry& entry_of(weighting_kind kind) {
  for (const auto& e : weightings)
    if (e.kind == kind)
      return e;
  return weightings.front();
}

} // namespace

std::string_view to_string(weighting_kind kind) { return entry_of(kind).name; }

std::optional<weighting_kind> weighting_kind_named(std::string_view name) {
  for (const auto& e : weightings)
    if (e.name == name)
      return e.kind;
  return std::nullopt;
}

std::vector<std::string_view> weighting_kind_names() {
  std::vector<std::string_view> names;
  for (const auto& e : weightings)
    names.push_back(e.name);
  return names;
}

double staleness_factor(const staleness_weighting& weighting, std::uint64_t tau) {
  return entry_of(weighting.kind).factor(weighting, tau);
}

} // namespace psim::sim
