// partition: every link between an actor of `group` and one outside it loses every
// message for `duration`.
#include "sim/cluster/fault_kinds/kinds.hpp"

#include "sim/scenario/reader.hpp"

namespace psim::sim::fault_kinds {

namespace {

// The names or patterns of `group`; each must name an actor of the run.
void read_group(scenario_reader& entry, const actor_counts& actors, fault& f) {
  const toml::node* node = entry.find("group");
  const auto* array = node != nullptr ? node->as_array() : nullptr;
  if (array == nullptr || array->empty())
    entry.fail_found("group", "a non-empty array of actor names or patterns, e.g. "
                              "[\"worker-0\", \"worker-1\"]");
  for (const auto& member : *array) {
    if (!member.is_string())
      entry.fail_found("group", "an array of strings (actor names or patterns)");
    f.group.push_back(member.as_string()->get());
  }
  for (const auto& member : f.group)
    check_names(entry, "group", member, actors, true, true);
}

// True when one of `group`'s names or patterns names `actor`.
bool inside(const fault& f, actor_id actor) {
  for (const auto& member : f.group)
    if (matches(member, actor))
      return true;
  return false;
}

} // namespace

fault_kind_rule partition() {
  return {
    fault_kind::partition,
    "partition",
    [](scenario_reader& entry, const actor_counts& actors, fault& f) {
      read_group(entry, actors, f);
      f.duration = entry.duration("duration", "1s", above(0));
    },
    [](const fault& f, const target_id& target) {
      const auto* link = std::get_if<link_id>(&target);
      return link != nullptr && inside(f, link->from) != inside(f, link->to);
    },
    [](const fault& f) -> std::optional<double> { return f.at + f.duration; },
    [](const fault&) { return effect{effect_kind::link_cut, 1, 1, {}}; },
  };
}

} // namespace psim::sim::fault_kinds
