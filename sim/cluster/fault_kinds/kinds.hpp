// The fault kinds, one file each in this folder, and the key readers they share;
// faults.cpp lists them in its one table.
#pragma once

#include "sim/cluster/faults.hpp"

#include <string>
#include <string_view>

namespace psim::sim::fault_kinds {

/// A worker leaves; with `restart_after` a fresh one takes its place.
fault_kind_rule crash();

/// A worker computes `factor` times slower for `duration`.
fault_kind_rule slowdown();

/// The links between `group` and the rest lose every message for `duration`.
fault_kind_rule partition();

/// The links `from` -> `to` lose messages with `probability` for `duration`.
fault_kind_rule drop();

/// The links `from` -> `to` take `latency` for `duration`.
fault_kind_rule latency();

/// A server shard loses its state and comes back from its last checkpoint.
fault_kind_rule server_crash();

/// The name or pattern of actors under `key` (default `fallback`); fails when empty.
std::string actor_pattern(scenario_reader& entry, std::string_view key,
                          std::string_view fallback);

/// Fails at `key` unless `pattern` names one of the run's workers (`workers`) or
/// servers (`servers`).
void check_names(scenario_reader& entry, std::string_view key, const std::string& pattern,
                 const actor_counts& actors, bool workers, bool servers);

/// True when `target` is an actor of role `kind` that `pattern` names.
bool names_actor(std::string_view pattern, actor_kind kind, const target_id& target);

/// Reads what every link window has (`from`, `to`, `duration`) and checks the names.
void read_link_window(scenario_reader& entry, const actor_counts& actors, fault& f);

/// True when `target` is a link from an actor `from` names to one `to` names.
bool names_link(std::string_view from, std::string_view to, const target_id& target);

} // namespace psim::sim::fault_kinds
