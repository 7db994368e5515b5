// psim plot: checks the folders, then draws them with tools/plot/psim_plot.py.
#include "tools/cli/commands.hpp"
#include "tools/cli/plotter.hpp"

#include <fmt/format.h>

#include <filesystem>

namespace psim::cli {

namespace {

namespace fs = std::filesystem;

bool is_run(const fs::path& dir) {
  return fs::is_regular_file(dir / "metrics.csv") && fs::is_regular_file(dir / "summary.json");
}

bool is_sweep(const fs::path& dir) {
  return fs::is_regular_file(dir / "sweep.csv");
}

// The error with a folder, "" when it is a run or sweep folder.
std::string folder_problem(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec))
    return "no such folder";
  if (!fs::is_directory(dir, ec))
    return "not a folder";
  if (!is_run(dir) && !is_sweep(dir))
    return "not a run folder (no metrics.csv and summary.json) nor a sweep folder "
           "(no sweep.csv)";
  return "";
}

bool picture_extension(const std::string& file) {
  auto ext = fs::path{file}.extension().string();
  return ext == ".png" || ext == ".svg" || ext == ".pdf";
}

} // namespace

int plot_command(const plot_args& args) {
  for (const auto& dir : args.dirs)
    if (auto problem = folder_problem(dir); !problem.empty()) {
      print_error(dir, 0, 0, "", problem);
      return exit_usage;
    }
  auto output = args.output;
  if (output.empty())
    output = (fs::path{args.dirs.front()}
              / (is_sweep(args.dirs.front()) && !is_run(args.dirs.front()) ? "sweep.png"
                                                                            : "plot.png"))
               .string();
  if (!picture_extension(output)) {
    print_error("", 0, 0, "-o", fmt::format("{}: the picture's name must end in .png, .svg or .pdf",
                                            output));
    return exit_usage;
  }
  std::vector<std::string> script_args = args.dirs;
  script_args.insert(script_args.end(), {"-o", output});
  for (auto [flag, value] : {std::pair{"--x", &args.x}, {"--y", &args.y},
                             {"--window", &args.window}, {"--describe", &args.describe}})
    if (!value->empty())
      script_args.insert(script_args.end(), {flag, *value});
  if (args.log)
    script_args.emplace_back("--log");
  auto outcome = run_plot_script(script_args);
  if (!outcome.found) {
    print_error("", 0, 0, "plot", no_matplotlib_message(outcome));
    return exit_usage;
  }
  if (outcome.code == exit_ok)
    fmt::print("psim: wrote {}\n", output);
  return outcome.code;
}

} // namespace psim::cli
