// Where psim's own files (data/mnist.bin, tools/plot/, scenarios/) are found without
// being told: $PSIM_HOME, the source tree of a build/bin/psim, an installed share/psim.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

namespace psim::sim {

/// The folders that may hold psim's own files, first choice first: $PSIM_HOME when set,
/// then two relative to the running executable (/proc/self/exe): the source tree of a
/// build (<source>/build/bin/psim) and an installation (<prefix>/bin/psim finds
/// <prefix>/share/psim).
inline std::vector<std::filesystem::path> psim_homes() {
  namespace fs = std::filesystem;
  std::vector<fs::path> homes;
  if (const char* home = std::getenv("PSIM_HOME"); home != nullptr && *home != '\0')
    homes.emplace_back(home);
  std::error_code failed;
  fs::path bin = fs::read_symlink("/proc/self/exe", failed).parent_path();
  if (!failed && !bin.empty()) {
    homes.push_back(bin.parent_path().parent_path());
    homes.push_back(bin.parent_path() / "share" / "psim");
  }
  return homes;
}

/// `relative` under the first of psim_homes() that holds it; "" when none does.
inline std::string find_in_psim_home(const std::string& relative) {
  for (const auto& home : psim_homes()) {
    std::error_code failed;
    if (std::filesystem::exists(home / relative, failed))
      return (home / relative).lexically_normal().generic_string();
  }
  return "";
}

} // namespace psim::sim
