// drop: the links `from` -> `to` lose each message with `probability` (at least) for
// `duration`.
#include "sim/cluster/fault_kinds/kinds.hpp"

#include "sim/scenario/reader.hpp"

namespace psim::sim::fault_kinds {

fault_kind_rule drop() {
  return {
    fault_kind::drop,
    "drop",
    [](scenario_reader& entry, const actor_counts& actors, fault& f) {
      read_link_window(entry, actors, f);
      f.probability = entry.number("probability", 1, number_range{0, 1, false, false});
    },
    [](const fault& f, const target_id& target) { return names_link(f.from, f.to, target); },
    [](const fault& f) -> std::optional<double> { return f.at + f.duration; },
    [](const fault& f) { return effect{effect_kind::link_loss, f.probability, 1, {}}; },
  };
}

} // namespace psim::sim::fault_kinds
