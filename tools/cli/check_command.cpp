// psim check: validates scenario files (and their data) without running them.
#include "tools/cli/commands.hpp"

#include "sim/scenario/scenario_errors.hpp"
#include "sim/output/params_csv.hpp"

#include <fmt/format.h>

namespace psim::cli {

void print_error(const std::string& file, int line, int column, const std::string& key,
                 const std::string& message) {
  std::string where;
  if (!file.empty())
    where = line > 0 ? fmt::format("{}:{}:{}: ", file, line, column) : file + ": ";
  if (!key.empty())
    where += key + ": ";
  // One line, whatever a file name or a library's message holds.
  std::string text;
  for (char c : where + message)
    text += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  fmt::print(stderr, "psim: error: {}\n", text);
}

bool load_checked(const std::string& path, const std::vector<std::string>& overrides,
                  sim::scenario& out,
                  const std::function<void(const sim::scenario&)>& before_data) {
  try {
    out = sim::load_scenario(path, overrides);
    if (before_data)
      before_data(out);
    auto data = sim::shared_data(out.data, out.seed, out.cluster.workers);
    auto parameters = sim::make_model(out.model, data->train.features())->parameters();
    if (out.cluster.servers > parameters) {
      print_error(path, 0, 0, "cluster.servers",
                  fmt::format("found {} server shards for a model of {} parameters; allowed: "
                              "at most one shard per parameter",
                              out.cluster.servers, parameters));
      return false;
    }
    if (out.trace.params) {
      auto problem = sim::params_trace_problem(out.trace.param_indices, parameters);
      if (!problem.empty()) {
        print_error(path, 0, 0, "trace.params", problem);
        return false;
      }
    }
    return true;
  } catch (const sim::scenario_errors& all) {
    for (const auto& e : all.errors)
      print_error(e.file, e.line, e.column, e.key, e.what());
  } catch (const sim::scenario_error& e) {
    print_error(e.file, e.line, e.column, e.key, e.what());
  } catch (const sim::data_error& e) {
    // FILE:LINE:COL: data.path: message, like every scenario error.
    print_error(e.file.empty() ? path : e.file, e.line, e.column,
                e.file.empty() ? "data" : "data.path", e.what());
  }
  return false;
}

int check_command(const std::vector<std::string>& files) {
  auto code = exit_ok;
  for (const auto& path : files) {
    sim::scenario scn;
    if (load_checked(path, {}, scn))
      fmt::print("ok: {} ({}, {} workers, {} clock)\n", path, sim::to_string(scn.training.mode),
                 scn.cluster.workers,
                 scn.run.clock == sim::clock_kind::virtual_time ? "virtual" : "real");
    else
      code = exit_usage;
  }
  return code;
}

} // namespace psim::cli
