// The [deployment] table: the psim nodes of a real-clock run and where each actor goes
// (the reference for users is docs/scenario-reference.md).
#include "sim/cluster/actor_id.hpp"
#include "sim/scenario/reader.hpp"

#include <fmt/format.h>

#include <charconv>

namespace psim::sim {

std::optional<node_address> parse_node_address(std::string_view text) {
  auto colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size())
    return std::nullopt;
  auto host = text.substr(0, colon);
  if (host.front() == '[' && host.back() == ']' && host.size() > 2)
    host = host.substr(1, host.size() - 2);
  else if (host.find(':') != std::string_view::npos)
    return std::nullopt; // a bare IPv6 address needs brackets
  auto digits = text.substr(colon + 1);
  unsigned port = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
  if (ec != std::errc{} || end != digits.data() + digits.size() || port == 0 || port > 65535)
    return std::nullopt;
  return node_address{std::string(host), static_cast<std::uint16_t>(port)};
}

std::optional<std::size_t> deployment_config::node_of(std::string_view name) const {
  std::optional<std::size_t> best;
  std::size_t best_rank = 0;
  for (const auto& [pattern, node] : placement) {
    if (!name_matches(pattern, name))
      continue;
    // Exact names outrank every pattern; longer patterns outrank shorter ones.
    auto rank = pattern.find('*') == std::string::npos ? std::string::npos : pattern.size();
    if (!best || rank > best_rank) {
      best = node;
      best_rank = rank;
    }
  }
  auto actor = parse_actor_id(name);
  if (best || !round_robin || !actor || !actor->is_worker())
    return best;
  return actor->index % nodes.size();
}

namespace {

// The actor names of a run of `cluster`'s size.
std::vector<std::string> actor_names(const cluster_config& cluster) {
  auto workers = static_cast<std::uint32_t>(cluster.workers);
  auto servers = static_cast<std::uint32_t>(cluster.servers);
  std::vector<std::string> names;
  for (std::uint32_t s = 0; s < servers; ++s)
    names.push_back(to_string(actor_id::server(s)));
  for (std::uint32_t w = 0; w < workers; ++w) {
    auto worker = actor_id::worker(w);
    names.push_back(to_string(worker));
    for (std::uint32_t s = 0; s < servers; ++s) {
      names.push_back(to_string(link_id{worker, actor_id::server(s)}));
      names.push_back(to_string(link_id{actor_id::server(s), worker}));
    }
    names.push_back(to_string(link_id{worker, actor_id::worker((w + 1) % workers)}));
  }
  return names;
}

// One `name-or-pattern = node` entry of an inline placement table.
std::size_t placed_node(const toml::node& value, const std::vector<std::string>& nodes,
                        const std::string& source, const std::string& key) {
  auto allowed = fmt::format("a node index in [0, {}] or one of deployment.nodes",
                             nodes.size() - 1);
  if (auto index = value.value<std::int64_t>()) {
    if (*index >= 0 && static_cast<std::size_t>(*index) < nodes.size())
      return static_cast<std::size_t>(*index);
  } else if (auto address = value.value<std::string>()) {
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (nodes[i] == *address)
        return i;
  }
  throw error_at(value.source(), source, key,
                 "found " + describe_found(value) + "; allowed: " + allowed);
}

} // namespace

deployment_config read_deployment(scenario_reader& top, const std::string& source,
                                  const run_config& run, const cluster_config& cluster) {
  deployment_config result;
  if (top.find("deployment") == nullptr)
    return result;
  if (!top.find("deployment")->is_table())
    top.fail_found("deployment", "a table ([deployment])");
  if (run.clock != clock_kind::real_time)
    top.fail("deployment", "[deployment] places actors on psim nodes, which needs "
                           "run.clock = \"real\"; found run.clock = \"virtual\"");
  auto table = top.table("deployment");
  const toml::node* nodes = table.find("nodes");
  if (nodes == nullptr)
    table.missing("nodes", "the \"host:port\" of each psim node");
  const auto* array = nodes->as_array();
  if (array == nullptr || array->empty())
    table.fail_found("nodes", "a non-empty array of \"host:port\" strings");
  for (std::size_t i = 0; i < array->size(); ++i) {
    const auto& entry = *array->get(i);
    auto text = entry.value<std::string>();
    if (!text || !parse_node_address(*text))
      throw error_at(entry.source(), source, fmt::format("deployment.nodes[{}]", i),
                     "found " + describe_found(entry)
                       + "; allowed: \"host:port\", e.g. \"127.0.0.1:7001\"");
    result.nodes.push_back(*text);
  }
  const toml::node* placement = table.find("placement");
  if (placement == nullptr || placement->is_string()) {
    table.choice("placement", "round_robin", {"round_robin"});
  } else if (const auto* map = placement->as_table()) {
    result.round_robin = false;
    auto names = actor_names(cluster);
    for (const auto& [key, value] : *map) {
      auto pattern = std::string(key.str());
      auto dotted = "deployment.placement." + pattern;
      result.placement.emplace_back(pattern,
                                    placed_node(value, result.nodes, source, dotted));
      bool any = false;
      for (const auto& name : names)
        any = any || name_matches(pattern, name);
      if (!any)
        throw error_at(value.source(), source, dotted,
                       fmt::format("\"{}\" names no actor of this run; allowed: worker-0 .. "
                                   "worker-{}, server-0 .. server-{}, a link such as "
                                   "worker-0->server-0, or a pattern such as \"worker-*\"",
                                   pattern, cluster.workers - 1, cluster.servers - 1));
    }
  } else {
    table.fail_found("placement", "\"round_robin\" or a table of actor names or patterns "
                                  "to node indices or addresses");
  }
  table.finish();
  return result;
}

} // namespace psim::sim
