// The one table of fault kinds, and a fault's effect and targets read from it.
#include "sim/cluster/faults.hpp"

#include "sim/cluster/fault_kinds/kinds.hpp"

namespace psim::sim {

const std::vector<fault_kind_rule>& fault_kind_rules() {
  static const std::vector<fault_kind_rule> rules{
    fault_kinds::crash(),   fault_kinds::slowdown(), fault_kinds::partition(),
    fault_kinds::drop(),    fault_kinds::latency(),  fault_kinds::server_crash(),
  };
  return rules;
}

const fault_kind_rule& rule_of(fault_kind kind) {
  for (const auto& rule : fault_kind_rules())
    if (rule.kind == kind)
      return rule;
  return fault_kind_rules().front();
}

std::string to_string(fault_kind kind) { return std::string{rule_of(kind).name}; }

std::string to_string(effect_kind kind) {
  switch (kind) {
    case effect_kind::link_cut: return "link_cut";
    case effect_kind::link_loss: return "link_loss";
    case effect_kind::link_latency: return "link_latency";
    case effect_kind::worker_down: return "worker_down";
    case effect_kind::worker_slowed: return "worker_slowed";
    case effect_kind::server_down: return "server_down";
    case effect_kind::worker_offline: return "worker_offline";
  }
  return "link_cut";
}

bool actor_counts::names_any(std::string_view pattern, bool with_workers,
                             bool with_servers) const {
  for (std::uint32_t i = 0; with_workers && i < workers; ++i)
    if (matches(pattern, actor_id::worker(i)))
      return true;
  for (std::uint32_t s = 0; with_servers && s < servers; ++s)
    if (matches(pattern, actor_id::server(s)))
      return true;
  return false;
}

fault_effect effect_of(const fault& f) {
  const auto& rule = rule_of(f.kind);
  return fault_effect{rule.effect_of(f), f.at, rule.end(f)};
}

bool touches(const fault& f, const target_id& target) {
  return rule_of(f.kind).touches(f, target);
}

} // namespace psim::sim
