// The psim command line (DESIGN §7). Run through the launcher: tools/psim run
#include "tools/cli/commands.hpp"

#include <CLI/CLI.hpp>

#include <cstdlib>

namespace {

std::string default_scenario() {
  const char* home = std::getenv("PSIM_HOME");
  return std::string{home != nullptr ? home : PSIM_SOURCE_DIR} + "/scenarios/quickstart.toml";
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"psim: distributed gradient descent simulated as CAF actors", "psim"};
  app.set_version_flag("--version", PSIM_VERSION);
  app.require_subcommand(1);

  psim::cli::run_args run;
  auto* run_cmd = app.add_subcommand("run", "run a scenario and write its run folder");
  run_cmd->add_option("scenario", run.scenario, "scenario file (default: the quickstart)");
  run_cmd->add_option("-o,--output", run.out_dir, "run folder (default: runs/<name>)");
  run_cmd->add_option("--set", run.overrides, "override a key: KEY=VALUE (TOML value)")
    ->allow_extra_args(false)
    ->take_all();
  run_cmd->add_flag("-q,--quiet", run.quiet, "print nothing but errors");

  std::vector<std::string> check_files;
  auto* check_cmd = app.add_subcommand("check", "validate scenario files without running");
  check_cmd->add_option("scenarios", check_files, "scenario files")->required();

  psim::cli::plot_args plot;
  auto* plot_cmd = app.add_subcommand("plot", "draw run folders or a sweep folder (matplotlib)");
  plot_cmd->add_option("dirs", plot.dirs, "run folders, or one sweep folder")->required();
  plot_cmd->add_option("-o,--output", plot.output,
                       "FILE.png or FILE.svg (default: plot.png or sweep.png in the first)");
  plot_cmd->add_option("--x", plot.x,
                       "runs: time | version | wall (default time); sweep: a varied key");
  plot_cmd->add_option("--y", plot.y, "a column to draw instead of the losses");
  plot_cmd->add_flag("--log", plot.log, "logarithmic y axis");
  plot_cmd->add_option("--describe", plot.describe,
                       "also write the data behind the figure as JSON to this file");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    auto code = app.exit(e);
    return code == 0 ? 0 : psim::cli::exit_usage;
  }
  if (run_cmd->parsed()) {
    if (run.scenario.empty()) {
      run.scenario = default_scenario();
      run.plot = true;
    }
    return psim::cli::run_command(run);
  }
  if (plot_cmd->parsed())
    return psim::cli::plot_command(plot);
  return psim::cli::check_command(check_files);
}
