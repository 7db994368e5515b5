// What the fault kinds share: reading actor names and patterns, and matching targets.
#include "sim/cluster/fault_kinds/kinds.hpp"

#include "sim/scenario/reader.hpp"

#include <fmt/format.h>

namespace psim::sim::fault_kinds {

std::string actor_pattern(scenario_reader& entry, std::string_view key,
                          std::string_view fallback) {
  auto name = entry.string(key, fallback);
  if (name.empty())
    entry.fail_found(key, "an actor name such as \"worker-3\" or \"server-0\", or a pattern "
                          "such as \"worker-*\"");
  return name;
}

void check_names(scenario_reader& entry, std::string_view key, const std::string& pattern,
                 const actor_counts& actors, bool workers, bool servers) {
  if (actors.names_any(pattern, workers, servers))
    return;
  auto range = [](std::string_view role, std::size_t count) {
    return fmt::format("{0}-0 .. {0}-{1}", role, count - 1);
  };
  std::string allowed;
  if (workers)
    allowed = range("worker", actors.workers);
  if (servers)
    allowed += (allowed.empty() ? "" : ", ") + range("server", actors.servers);
  entry.fail(key, fmt::format("found \"{}\", which names no actor of this run; allowed: {} "
                              "or a pattern",
                              pattern, allowed));
}

bool names_actor(std::string_view pattern, actor_kind kind, const target_id& target) {
  const auto* actor = std::get_if<actor_id>(&target);
  return actor != nullptr && actor->kind == kind && matches(pattern, *actor);
}

bool names_link(std::string_view from, std::string_view to, const target_id& target) {
  const auto* link = std::get_if<link_id>(&target);
  return link != nullptr && matches(from, link->from) && matches(to, link->to);
}

void read_link_window(scenario_reader& entry, const actor_counts& actors, fault& f) {
  f.from = actor_pattern(entry, "from", "*");
  f.to = actor_pattern(entry, "to", "*");
  f.duration = entry.duration("duration", "1s", above(0));
  check_names(entry, "from", f.from, actors, true, true);
  check_names(entry, "to", f.to, actors, true, true);
}

} // namespace psim::sim::fault_kinds
