// server_crash: a server shard loses its state at `at` and comes back from its last
// checkpoint after `restart_after` (at once without it).
#include "sim/cluster/fault_kinds/kinds.hpp"

#include "sim/scenario/reader.hpp"

namespace psim::sim::fault_kinds {

fault_kind_rule server_crash() {
  return {
    fault_kind::server_crash,
    "server_crash",
    [](scenario_reader& entry, const actor_counts& actors, fault& f) {
      f.target = actor_pattern(entry, "target", "server-0");
      f.restart_after = entry.optional_duration("restart_after");
      check_names(entry, "target", f.target, actors, false, true);
    },
    [](const fault& f, const target_id& target) {
      return names_actor(f.target, actor_kind::server, target);
    },
    [](const fault& f) -> std::optional<double> {
      return f.at + f.restart_after.value_or(0);
    },
    [](const fault&) { return effect{effect_kind::server_down, 1, 1, {}}; },
  };
}

} // namespace psim::sim::fault_kinds
