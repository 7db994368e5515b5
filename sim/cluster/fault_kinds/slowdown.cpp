// slowdown: a worker's compute times are multiplied by `factor` for `duration`.
#include "sim/cluster/fault_kinds/kinds.hpp"

#include "sim/scenario/reader.hpp"

namespace psim::sim::fault_kinds {

fault_kind_rule slowdown() {
  return {
    fault_kind::slowdown,
    "slowdown",
    [](scenario_reader& entry, const actor_counts& actors, fault& f) {
      f.target = actor_pattern(entry, "target", "worker-0");
      check_names(entry, "target", f.target, actors, true, false);
      f.factor = entry.number("factor", 4, above(0));
      f.duration = entry.duration("duration", "1s", above(0));
    },
    [](const fault& f, const target_id& target) {
      return names_actor(f.target, actor_kind::worker, target);
    },
    [](const fault& f) -> std::optional<double> { return f.at + f.duration; },
    [](const fault& f) { return effect{effect_kind::worker_slowed, 1, f.factor, {}}; },
  };
}

} // namespace psim::sim::fault_kinds
