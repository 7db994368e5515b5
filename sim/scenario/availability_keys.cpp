// The keys of [availability]: alternating online/offline durations per worker pattern
// (`up`, `down`, `target`, more patterns as [[availability.pattern]]), or a trace file
// (the reference for users is docs/scenario-reference.md).
#include "sim/scenario/reader.hpp"

#include "sim/cluster/fault_kinds/kinds.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace psim::sim {

namespace {

// One pattern's keys: target (default every worker), up and down, both required.
availability_pattern read_pattern(scenario_reader& entry, const actor_counts& actors) {
  availability_pattern p;
  p.target = fault_kinds::actor_pattern(entry, "target", "worker-*");
  fault_kinds::check_names(entry, "target", p.target, actors, true, false);
  if (entry.find("up") == nullptr)
    entry.missing("up", "an availability pattern needs up, the online durations");
  if (entry.find("down") == nullptr)
    entry.missing("down", "an availability pattern needs down, the offline durations");
  p.up = entry.random_duration("up", "");
  p.down = entry.random_duration("down", "");
  return p;
}

// The trace `given` names, relative to the current directory first, else to the
// scenario's folder; the path found is written back for the resolved scenario.
std::vector<availability_change> read_trace_file(scenario_reader& table, std::string given,
                                                 const std::string& source,
                                                 std::size_t workers) {
  namespace fs = std::filesystem;
  fs::path path = given;
  fs::path folder = fs::path(source).parent_path();
  if (path.is_relative() && !fs::exists(path) && !folder.empty() && fs::exists(folder / path)) {
    path = folder / path;
    auto* node = const_cast<toml::node*>(table.find("trace"));
    node->as_string()->get() = path.generic_string();
  }
  std::ifstream in(path);
  if (!in || !fs::is_regular_file(path))
    table.fail("trace", "cannot open \"" + given + "\"; allowed: a CSV file of rows "
                        "worker,time,state");
  std::ostringstream text;
  text << in.rdbuf();
  try {
    return parse_availability_trace(text.str(), workers);
  } catch (const availability_trace_error& e) {
    throw scenario_error(path.generic_string(), e.line, 1, table.dotted("trace"), e.what());
  }
}

} // namespace

availability_config read_availability(scenario_reader& top, const std::string& source,
                                      std::size_t workers) {
  availability_config config;
  if (top.find("availability") == nullptr)
    return config;
  auto table = top.table("availability");
  const actor_counts actors{workers, 0};
  if (auto trace = table.optional_string("trace")) {
    for (auto key : {"up", "down", "target", "pattern"})
      table.forbid(key, "a trace gives every change itself; drop either trace or the patterns");
    config.changes = read_trace_file(table, *trace, source, workers);
    config.trace = *trace;
    table.finish();
    return config;
  }
  if (table.find("up") != nullptr || table.find("down") != nullptr)
    config.patterns.push_back(read_pattern(table, actors));
  for (auto& entry : read_table_array(table, "pattern", source)) {
    config.patterns.push_back(read_pattern(entry, actors));
    entry.finish();
  }
  if (config.patterns.empty())
    table.fail("up", "found an [availability] table without up, down or trace; allowed: "
                     "up and down durations, [[availability.pattern]] entries, or trace");
  table.finish();
  return config;
}

} // namespace psim::sim
