// crash: a worker leaves at `at`, losing the work under way; with `restart_after` a
// fresh worker takes its place then.
#include "sim/cluster/fault_kinds/kinds.hpp"

#include "sim/scenario/reader.hpp"

namespace psim::sim::fault_kinds {

fault_kind_rule crash() {
  return {
    fault_kind::crash,
    "crash",
    [](scenario_reader& entry, const actor_counts& actors, fault& f) {
      f.target = actor_pattern(entry, "target", "worker-0");
      f.restart_after = entry.optional_duration("restart_after");
      check_names(entry, "target", f.target, actors, true, false);
    },
    [](const fault& f, const target_id& target) {
      return names_actor(f.target, actor_kind::worker, target);
    },
    [](const fault& f) -> std::optional<double> {
      if (f.restart_after)
        return f.at + *f.restart_after;
      return std::nullopt;
    },
    [](const fault&) { return effect{effect_kind::worker_down, 1, 1, {}}; },
  };
}

} // namespace psim::sim::fault_kinds
