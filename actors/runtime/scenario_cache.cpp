// A process-wide cache of parsed scenarios, keyed by their resolved text, and the short
// keys that stand for a text in this process.
#include "actors/runtime/scenario_cache.hpp"

#include <map>
#include <mutex>
#include <stdexcept>

namespace psim::actors {

namespace {

// A key starts with a character no TOML text starts with.
constexpr char key_mark = '\x01';

std::mutex mtx;
std::map<std::string, std::shared_ptr<const sim::scenario>> cache; // by text and by key

} // namespace

std::shared_ptr<const sim::scenario> shared_scenario(const std::string& resolved_text) {
  std::lock_guard<std::mutex> guard{mtx};
  if (!resolved_text.empty() && resolved_text.front() == key_mark) {
    auto it = cache.find(resolved_text);
    if (it == cache.end())
      throw std::invalid_argument("unknown local scenario key");
    return it->second;
  }
  auto& entry = cache[resolved_text];
  if (!entry)
    entry = std::make_shared<const sim::scenario>(
      sim::parse_scenario(resolved_text, "scenario.toml"));
  return entry;
}

std::string local_scenario_key(const std::string& resolved_text) {
  static std::size_t keys = 0;
  auto scenario = shared_scenario(resolved_text);
  std::lock_guard<std::mutex> guard{mtx};
  // Short enough to be stored inside the string, without an allocation.
  auto key = key_mark + std::to_string(keys++);
  cache[key] = scenario;
  return key;
}

} // namespace psim::actors
