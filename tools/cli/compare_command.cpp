// psim compare: run folders side by side (differing scenario keys, then outcomes),
// drawn up by tools/plot/compare.py.
#include "tools/cli/commands.hpp"

#include <filesystem>

namespace psim::cli {

int compare_command(const compare_args& args) {
  namespace fs = std::filesystem;
  for (const auto& dir : args.runs) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      print_error(dir, 0, 0, "", fs::exists(dir, ec) ? "not a folder" : "no such folder");
      return exit_usage;
    }
    if (!fs::is_regular_file(fs::path{dir} / "summary.json", ec)) {
      print_error(dir, 0, 0, "", "not a run folder (no summary.json)");
      return exit_usage;
    }
  }
  auto script_args = args.runs;
  if (args.csv)
    script_args.emplace_back("--csv");
  if (args.markdown)
    script_args.emplace_back("--markdown");
  return script_command("compare.py", script_args);
}

} // namespace psim::cli
