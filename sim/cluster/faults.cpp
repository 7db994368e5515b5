// Which links a fault touches.
#include "sim/cluster/faults.hpp"

namespace psim::sim {

std::string to_string(fault_kind kind) {
  switch (kind) {
    case fault_kind::crash: return "crash";
    case fault_kind::slowdown: return "slowdown";
    case fault_kind::partition: return "partition";
    case fault_kind::drop: return "drop";
    case fault_kind::latency: return "latency";
    case fault_kind::server_crash: return "server_crash";
  }
  return "crash";
}

bool fault::touches_link(std::string_view a, std::string_view b) const {
  if (kind == fault_kind::partition) {
    auto inside = [this](std::string_view name) {
      for (const auto& member : group)
        if (name_matches(member, name))
          return true;
      return false;
    };
    return inside(a) != inside(b);
  }
  if (kind == fault_kind::drop || kind == fault_kind::latency)
    return name_matches(from, a) && name_matches(to, b);
  return false;
}

} // namespace psim::sim
