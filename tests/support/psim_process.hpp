// Test support: runs the built psim program, or another built program, as a user would,
// capturing its exit code, standard output and standard error.
#pragma once

#include "tests/support/run_files.hpp"

#include <sys/wait.h>

#include <cstdlib>
#include <string>

namespace psim::test {

/// What one run of the program gave.
struct process_result {
  int code = -1;   ///< exit code
  std::string out; ///< standard output
  std::string err; ///< standard error
};

/// Runs `<binary> <args>` (args already shell-quoted where needed) from the source tree.
inline process_result run_program(const std::string& binary, const std::string& args) {
  auto dir = temp_folder("proc");
  auto cmd = "cd '" PSIM_SOURCE_DIR "' && '" + binary + "' " + args + " >'" + dir
             + "/out' 2>'" + dir + "/err' </dev/null";
  auto status = std::system(cmd.c_str());
  process_result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_text(dir + "/out");
  r.err = read_text(dir + "/err");
  return r;
}

/// Runs `psim <args>` (args already shell-quoted where needed) from the source tree.
inline process_result run_psim(const std::string& args) { return run_program(PSIM_BINARY, args); }

} // namespace psim::test
