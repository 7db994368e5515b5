// Handing a command to psim-remote: the executable beside ours, our arguments, our
// environment (a secret in $PSIM_SECRET goes with it).
#include "tools/cli/remote_handover.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/process.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace psim::cli {

int hand_over_to_remote() {
  auto beside = std::filesystem::path{self_executable()}.parent_path() / "psim-remote";
  auto args = own_arguments();
  if (args.empty()) {
    fmt::print(stderr, "psim: error: cannot read this process's arguments (/proc/self/cmdline) "
                       "to hand them to psim-remote\n");
    return exit_failed;
  }
  replace_process(beside.string(), std::move(args));
  fmt::print(stderr, "psim: error: psim node and runs with [deployment] need {}, which cannot "
                     "start: {}\n",
             beside.string(), std::strerror(errno));
  return exit_failed;
}

} // namespace psim::cli
