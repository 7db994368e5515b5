// A process-wide cache of parsed scenarios, keyed by their resolved text.
#include "actors/runtime/scenario_cache.hpp"

#include <map>
#include <mutex>

namespace psim::actors {

std::shared_ptr<const sim::scenario> shared_scenario(const std::string& resolved_text) {
  static std::mutex mtx;
  static std::map<std::string, std::shared_ptr<const sim::scenario>> cache;
  std::lock_guard<std::mutex> guard{mtx};
  auto& entry = cache[resolved_text];
  if (!entry)
    entry = std::make_shared<const sim::scenario>(
      sim::parse_scenario(resolved_text, "scenario.toml"));
  return entry;
}

} // namespace psim::actors
