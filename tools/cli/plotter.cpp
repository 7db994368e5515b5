// Finds a python3 (with matplotlib, for plots) and runs a script of tools/plot/ under it.
#include "tools/cli/plotter.hpp"

#include "sim/data/psim_home.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/process.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

namespace psim::cli {

namespace {

// Exit code by which the script says that it could not import matplotlib.
constexpr int script_no_matplotlib = 3;

// tools/plot/`script` under $PSIM_HOME when set; else beside the executable (its source
// tree, or an installed share/psim), else in the source tree it was built from.
std::string script_path(const std::string& script) {
  auto relative = "tools/plot/" + script;
  const char* home = std::getenv("PSIM_HOME");
  if (home != nullptr && *home != '\0')
    return std::string{home} + "/" + relative;
  auto found = sim::find_in_psim_home(relative);
  return found.empty() ? std::string{PSIM_SOURCE_DIR} + "/" + relative : found;
}

// python3 in the folders of PATH, if any.
std::string python_on_path() {
  const char* path = std::getenv("PATH");
  std::istringstream dirs{path != nullptr ? path : ""};
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    auto candidate = std::filesystem::path{dir.empty() ? "." : dir} / "python3";
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec))
      return candidate.string();
  }
  return "";
}

std::vector<std::string> interpreters() {
  const char* chosen = std::getenv("PSIM_PYTHON");
  if (chosen != nullptr && *chosen != '\0')
    return {chosen};
  std::vector<std::string> out{"/usr/bin/python3"};
  auto on_path = python_on_path();
  if (!on_path.empty() && on_path != out.front())
    out.push_back(on_path);
  return out;
}

} // namespace

plot_outcome run_plot_script(const std::vector<std::string>& args) {
  return run_tool_script("psim_plot.py", args);
}

plot_outcome run_tool_script(const std::string& script, const std::vector<std::string>& args) {
  plot_outcome outcome;
  auto path = script_path(script);
  if (std::error_code ec; !std::filesystem::is_regular_file(path, ec)) {
    fmt::print(stderr, "psim: error: {}: the {} script is missing; set PSIM_HOME to "
                       "the psim source folder (or its installed share/psim)\n",
               path, script == "psim_plot.py" ? "plotting" : "psim");
    outcome.found = true; // an interpreter is not what is missing
    outcome.code = exit_usage;
    return outcome;
  }
  setenv("PSIM_PLOT_FROM_PSIM", "1", 1); // the script leaves "no matplotlib" to us
  for (const auto& python : interpreters()) {
    outcome.tried.push_back(python);
    std::vector<std::string> argv{python, path};
    argv.insert(argv.end(), args.begin(), args.end());
    auto code = run_program(argv);
    // -1: it did not start; 126/127: not runnable; 3: no matplotlib there.
    if (code == -1 || code == 126 || code == 127 || code == script_no_matplotlib)
      continue;
    outcome.found = true;
    outcome.code = code;
    return outcome;
  }
  return outcome;
}

std::string no_matplotlib_message(const plot_outcome& outcome) {
  std::string tried;
  for (const auto& python : outcome.tried)
    tried += (tried.empty() ? "" : ", ") + python;
  const char* chosen = std::getenv("PSIM_PYTHON");
  auto via = chosen != nullptr && *chosen != '\0' ? "PSIM_PYTHON=" : "";
  return fmt::format("no python3 with matplotlib (tried {}{}); install Debian's "
                     "python3-matplotlib (sudo apt-get install python3-matplotlib, or "
                     "tools/install-deps), or set PSIM_PYTHON to a python3 that has it",
                     via, tried);
}

} // namespace psim::cli
