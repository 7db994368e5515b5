// latency: the links `from` -> `to` take `latency` (a distribution) instead of their
// own for `duration`.
#include "sim/cluster/fault_kinds/kinds.hpp"

#include "sim/scenario/reader.hpp"

namespace psim::sim::fault_kinds {

fault_kind_rule latency() {
  return {
    fault_kind::latency,
    "latency",
    [](scenario_reader& entry, const actor_counts& actors, fault& f) {
      read_link_window(entry, actors, f);
      f.delay = entry.random_duration("latency", "\"100ms\"");
    },
    [](const fault& f, const target_id& target) { return names_link(f.from, f.to, target); },
    [](const fault& f) -> std::optional<double> { return f.at + f.duration; },
    [](const fault& f) { return effect{effect_kind::link_latency, 1, 1, *f.delay}; },
  };
}

} // namespace psim::sim::fault_kinds
