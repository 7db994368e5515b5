// The keys of links and faults: [[network.link]], [[faults]] and [checkpoint]
// (the reference for users is docs/scenario-reference.md).
#include "sim/scenario/reader.hpp"

#include <fmt/format.h>

namespace psim::sim {

namespace {

// A name or pattern of actors: worker-<i>, server-<i>, or a pattern with '*'.
std::string actor_pattern(scenario_reader& entry, std::string_view key,
                          std::string_view fallback) {
  auto name = entry.string(key, fallback);
  if (name.empty())
    entry.fail_found(key, "an actor name such as \"worker-3\" or \"server-0\", or a pattern "
                          "such as \"worker-*\"");
  return name;
}

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

// Fails unless `pattern` names at least one of the run's workers (or servers).
void check_target(scenario_reader& entry, const std::string& pattern, std::size_t count,
                  bool server) {
  bool found = false;
  for (std::size_t i = 0; i < count && !found; ++i)
    found = name_matches(pattern, (server ? "server-" : "worker-") + std::to_string(i));
  if (!found)
    entry.fail("target", fmt::format("found \"{}\", which names no actor of this run; "
                                     "allowed: {}",
                                     pattern,
                                     fmt::format("{0}-0 .. {0}-{1} or a pattern",
                                                 server ? "server" : "worker", count - 1)));
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
                                               const std::string& source) {
  std::vector<link_override> result;
  for (auto& entry : read_table_array(network, "link", source)) {
    link_override o;
    if (entry.find("between") != nullptr) {
      std::tie(o.from, o.to) = pair_of_names(entry, "between");
      o.both_ways = true;
    } else {
      o.from = actor_pattern(entry, "from", "*");
      o.to = actor_pattern(entry, "to", "*");
    }
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
                               std::size_t workers, std::size_t servers) {
  std::vector<fault> result;
  const std::vector<std::string_view> kinds{"crash",   "slowdown", "partition",
                                            "drop",    "latency",  "server_crash"};
  for (auto& entry : read_table_array(top, "faults", source)) {
    fault f;
    f.at = entry.duration("at", "0s");
    auto kind = entry.choice("kind", "crash", kinds);
    for (auto k : {fault_kind::crash, fault_kind::slowdown, fault_kind::partition,
                   fault_kind::drop, fault_kind::latency, fault_kind::server_crash})
      if (to_string(k) == kind)
        f.kind = k;
    switch (f.kind) {
      case fault_kind::crash:
      case fault_kind::server_crash:
        f.target = actor_pattern(entry, "target",
                                 f.kind == fault_kind::crash ? "worker-0" : "server-0");
        f.restart_after = entry.optional_duration("restart_after");
        check_target(entry, f.target,
                     f.kind == fault_kind::server_crash ? servers : workers,
                     f.kind == fault_kind::server_crash);
        break;
      case fault_kind::slowdown:
        f.target = actor_pattern(entry, "target", "worker-0");
        check_target(entry, f.target, workers, false);
        f.factor = entry.number("factor", 4, above(0));
        f.duration = entry.duration("duration", "1s", above(0));
        break;
      case fault_kind::partition: {
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
        f.duration = entry.duration("duration", "1s", above(0));
        break;
      }
      case fault_kind::drop:
      case fault_kind::latency:
        f.from = actor_pattern(entry, "from", "*");
        f.to = actor_pattern(entry, "to", "*");
        f.duration = entry.duration("duration", "1s", above(0));
        if (f.kind == fault_kind::drop)
          f.probability = entry.number("probability", 1, number_range{0, 1, false, false});
        else
          f.delay = entry.random_duration("latency", "\"100ms\"");
        break;
    }
    entry.finish();
    result.push_back(std::move(f));
  }
  return result;
}

} // namespace psim::sim
