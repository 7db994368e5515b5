// Running the Python scripts of tools/plot/ (psim_plot.py needs matplotlib; the trace
// and compare scripts only python3): PSIM_PYTHON when set, else /usr/bin/python3, else
// python3 on PATH.
#pragma once

#include <string>
#include <vector>

namespace psim::cli {

/// What running the plotting script gave.
struct plot_outcome {
  bool found = false;             ///< some interpreter had matplotlib
  int code = -1;                  ///< the script's exit code when found
  std::vector<std::string> tried; ///< interpreters tried, in order
};

/// Runs the plotting script with `args` under the first interpreter that has
/// matplotlib; the script's messages go to our stdout and stderr.
plot_outcome run_plot_script(const std::vector<std::string>& args);

/// Runs tools/plot/`script` with `args` under the first python3 that starts.
plot_outcome run_tool_script(const std::string& script, const std::vector<std::string>& args);

/// Says that no interpreter had matplotlib, which ones were tried, what to install.
std::string no_matplotlib_message(const plot_outcome& outcome);

} // namespace psim::cli
