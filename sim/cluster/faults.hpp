// Faults and per-link network conditions a scenario schedules, and what a fault does:
// timed effects on the workers, servers and links it touches (DESIGN §4, §5). Each
// fault kind is one file of sim/cluster/fault_kinds/, listed once in fault_kind_rules().
#pragma once

#include "sim/cluster/actor_id.hpp"
#include "sim/random/distribution.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace psim::sim {

class scenario_reader;

/// A [[network.link]] entry: other conditions on the links it names.
struct link_override {
  std::string from;                      ///< sender name or pattern
  std::string to;                        ///< receiver name or pattern
  bool both_ways = false;                ///< `between`: also to -> from
  std::optional<distribution> latency;   ///< per-message latency
  std::optional<double> bandwidth;       ///< bytes per second
  std::optional<double> drop;            ///< loss probability
  std::optional<double> duplicate;       ///< duplication probability

  /// True when this entry applies to the link `a` -> `b`.
  bool covers(std::string_view a, std::string_view b) const {
    return (name_matches(from, a) && name_matches(to, b))
           || (both_ways && name_matches(from, b) && name_matches(to, a));
  }
};

/// The kinds of scheduled faults.
enum class fault_kind { crash, slowdown, partition, drop, latency, server_crash };

/// The name of a fault kind as scenario files write it.
std::string to_string(fault_kind kind);

/// A [[faults]] entry.
struct fault {
  double at = 0;                         ///< seconds after the start
  fault_kind kind = fault_kind::crash;   ///< what happens
  std::string target;                    ///< crash, slowdown, server_crash: actor or pattern
  std::optional<double> restart_after;   ///< crash, server_crash: back after this long
  double duration = 0;                   ///< slowdown, partition, drop, latency: window
  double factor = 1;                     ///< slowdown: factor on compute times
  std::vector<std::string> group;        ///< partition: actors cut off from the rest
  std::string from = "*";                ///< drop, latency: links from (pattern)
  std::string to = "*";                  ///< drop, latency: links to (pattern)
  double probability = 1;                ///< drop: loss probability in the window
  std::optional<distribution> delay;     ///< latency: the latency in the window
};

/// What an effect does to the actor or link it lands on.
enum class effect_kind : std::uint8_t {
  link_cut,      ///< the link loses every message
  link_loss,     ///< the link loses each message with at least `probability`
  link_latency,  ///< the link's latency is `latency` (the latest such effect wins)
  worker_down,   ///< the worker crashes; when it ends, a fresh worker takes its place
  worker_slowed, ///< the worker's compute times are multiplied by `factor`
  server_down,   ///< the shard loses its state; when it ends, it restores its checkpoint
  worker_offline, ///< as worker_down, for availability: the worker leaves, then comes back
};

/// The name of an effect kind ("link_cut").
std::string to_string(effect_kind kind);

/// What a fault does to each target it touches while it is in force.
struct effect {
  effect_kind kind = effect_kind::link_cut; ///< what happens
  double probability = 1;                   ///< link_loss: loss probability
  double factor = 1;                        ///< worker_slowed: factor on compute times
  distribution latency;                     ///< link_latency: the latency in force
};

/// A fault turned into its effect and the window it is in force.
struct fault_effect {
  effect what;               ///< what each target undergoes
  double begin = 0;          ///< seconds after the start when it begins
  std::optional<double> end; ///< seconds after the start when it is lifted; never if empty
};

/// The actors a scenario's names may refer to: how many workers and server shards.
struct actor_counts {
  std::size_t workers = 0; ///< worker-0 .. worker-(workers-1)
  std::size_t servers = 0; ///< server-0 .. server-(servers-1)

  /// True when `pattern` names at least one worker (`workers`) or server (`servers`).
  bool names_any(std::string_view pattern, bool workers, bool servers) const;
};

/// One kind of fault: its name, how its keys are read, what it touches and does.
struct fault_kind_rule {
  fault_kind kind;        ///< the enum value
  std::string_view name;  ///< the name in scenario files
  /// Reads the keys of one [[faults]] entry of this kind into `f`, checking names.
  void (*read)(scenario_reader& entry, const actor_counts& actors, fault& f);
  /// True when `f` touches `target`.
  bool (*touches)(const fault& f, const target_id& target);
  /// Seconds after the start when `f` is lifted; empty when never.
  std::optional<double> (*end)(const fault& f);
  /// What `f` does to each target it touches.
  effect (*effect_of)(const fault& f);
};

/// Every fault kind, in the order the documentation lists them.
const std::vector<fault_kind_rule>& fault_kind_rules();

/// The rule of `kind`.
const fault_kind_rule& rule_of(fault_kind kind);

/// The effect of `f` and when it begins and ends, computed once for the whole run.
fault_effect effect_of(const fault& f);

/// True when `f` touches `target` (an actor or a link of the run).
bool touches(const fault& f, const target_id& target);

} // namespace psim::sim
