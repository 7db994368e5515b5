// psim trace: a run's events.csv as Trace Event JSON for Perfetto and chrome://tracing,
// written by tools/plot/trace_export.py.
#include "tools/cli/commands.hpp"
#include "tools/cli/plotter.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace psim::cli {

namespace {

namespace fs = std::filesystem;

// The error with a run folder for `psim trace`, "" when it can be exported.
std::string trace_problem(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    return fs::exists(dir, ec) ? "not a folder" : "no such folder";
  if (!fs::is_regular_file(fs::path{dir} / "summary.json", ec)
      || !fs::is_regular_file(fs::path{dir} / "metrics.csv", ec))
    return "not a run folder (no metrics.csv and summary.json)";
  if (!fs::is_regular_file(fs::path{dir} / "events.csv", ec))
    return "no events.csv; run the scenario with --set trace.events=true";
  return "";
}

} // namespace

int script_command(const std::string& script, const std::vector<std::string>& args) {
  auto outcome = run_tool_script(script, args);
  if (outcome.found)
    return outcome.code;
  std::string tried;
  for (const auto& python : outcome.tried)
    tried += (tried.empty() ? "" : ", ") + python;
  print_error("", 0, 0, "", fmt::format("no python3 could run tools/plot/{} (tried {}); "
                                        "install python3 or set PSIM_PYTHON", script, tried));
  return exit_usage;
}

int trace_command(const trace_args& args) {
  if (auto problem = trace_problem(args.run); !problem.empty()) {
    print_error(args.run, 0, 0, "", problem);
    return exit_usage;
  }
  std::vector<std::string> script_args{args.run};
  if (!args.output.empty())
    script_args.insert(script_args.end(), {"-o", args.output});
  return script_command("trace_export.py", script_args);
}

} // namespace psim::cli
