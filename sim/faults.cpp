// Name patterns, and which links a fault touches.
#include "sim/faults.hpp"

namespace psim::sim {

bool name_matches(std::string_view pattern, std::string_view name) {
  // Iterative glob with '*' only: remember the last star to backtrack to.
  std::size_t p = 0, n = 0, star = std::string_view::npos, resume = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      resume = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*')
    ++p;
  return p == pattern.size();
}

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
