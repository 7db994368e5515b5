// Child processes for the command line: psim runs of a sweep and the plotting script.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace psim::cli {

/// Starts `argv[0]` (searched on PATH when it has no slash) with arguments `argv`;
/// its stdout and stderr go to `log` when not empty, else stay ours. Returns the
/// process id, or -1 when it cannot start.
pid_t start_program(const std::vector<std::string>& argv, const std::string& log = "");

/// Waits for `pid`; returns its exit code (128 + signal number when killed).
int wait_program(pid_t pid);

/// Waits for any child; stores its exit code in `code`; returns its id (-1 when
/// interrupted by a signal or when there are no children).
pid_t wait_any_program(int& code);

/// Starts `argv` and waits for it; returns its exit code, or -1 when it cannot start.
int run_program(const std::vector<std::string>& argv, const std::string& log = "");

/// The path of the running executable.
std::string self_executable();

/// This process's arguments as it was started (empty without /proc).
std::vector<std::string> own_arguments();

/// Replaces this process with `executable` given `args` (argv[0] first) and our
/// environment; returns only when that fails (errno says why).
void replace_process(const std::string& executable, std::vector<std::string> args);

} // namespace psim::cli
