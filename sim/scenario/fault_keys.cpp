// The keys of links and faults: [[network.link]], [[faults]] and [checkpoint]
// (the reference for users is docs/scenario-reference.md).
#include "sim/scenario/reader.hpp"

#include "sim/cluster/fault_kinds/kinds.hpp"

#include <fmt/format.h>

namespace psim::sim {

namespace {

using fault_kinds::actor_pattern;
using fault_kinds::check_names;

// The two names of `between = [a, b]`.
std::pair<std::string, std::string> pair_of_names(scenario_reader& entry,
                                                  std::string_view key) {
  const toml::node* node = entry.find(key);
  const auto* array = node != nullptr ? node->as_array() : nullptr;
  if (array == nullptr || array->size() != 2 || !array->get(0)->is_string()
      || !array->get(1)->is_string())
    entry.fail_found(key, "two actor names or patterns, e.g. [\"worker-3\", \"server-0\"]");
  return {array->get(0)->as_string()->get(), array->get(1)->as_string()->get()};
}

// The rule of the fault kind named `name` (one of the table's names).
const fault_kind_rule& rule_named(std::string_view name) {
  for (const auto& rule : fault_kind_rules())
    if (rule.name == name)
      return rule;
  return fault_kind_rules().front();
}

} // namespace

/// The tables of an array of tables `key` (e.g. [[compute.override]]), each with its reader.
std::vector<scenario_reader> read_table_array(scenario_reader& parent, std::string_view key,
                                              const std::string& source) {
  std::vector<scenario_reader> result;
  const toml::node* node = parent.find(key);
  if (node == nullptr)
    return result;
  auto* array = const_cast<toml::node*>(node)->as_array();
  if (array == nullptr || !array->is_array_of_tables())
    parent.fail_found(key, fmt::format("an array of tables ([[{}]])", parent.dotted(key)));
  for (std::size_t i = 0; i < array->size(); ++i)
    result.emplace_back(*array->get(i)->as_table(),
                        fmt::format("{}[{}]", parent.dotted(key), i), source);
  return result;
}

std::vector<link_override> read_link_overrides(scenario_reader& network,
                                               const std::string& source,
                                               const actor_counts& actors) {
  std::vector<link_override> result;
  for (auto& entry : read_table_array(network, "link", source)) {
    link_override o;
    std::string_view ends = "between";
    if (entry.find("between") != nullptr) {
      std::tie(o.from, o.to) = pair_of_names(entry, "between");
      o.both_ways = true;
    } else {
      o.from = actor_pattern(entry, "from", "*");
      o.to = actor_pattern(entry, "to", "*");
    }
    check_names(entry, o.both_ways ? ends : "from", o.from, actors, true, true);
    check_names(entry, o.both_ways ? ends : "to", o.to, actors, true, true);
    if (entry.find("latency") != nullptr)
      o.latency = entry.random_duration("latency", "");
    if (entry.find("bandwidth") != nullptr)
      o.bandwidth = entry.bandwidth("bandwidth", "");
    o.drop = entry.optional_number("drop", half_open(0, 1));
    o.duplicate = entry.optional_number("duplicate", half_open(0, 1));
    entry.finish();
    result.push_back(std::move(o));
  }
  return result;
}

std::vector<fault> read_faults(scenario_reader& top, const std::string& source,
                               const actor_counts& actors) {
  std::vector<fault> result;
  std::vector<std::string_view> kinds;
  for (const auto& rule : fault_kind_rules())
    kinds.push_back(rule.name);
  for (auto& entry : read_table_array(top, "faults", source)) {
    fault f;
    f.at = entry.duration("at", "0s");
    const auto& rule = rule_named(entry.choice("kind", "crash", kinds));
    f.kind = rule.kind;
    rule.read(entry, actors, f);
    entry.finish();
    result.push_back(std::move(f));
  }
  return result;
}

} // namespace psim::sim
