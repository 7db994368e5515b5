// Restarting with glibc's huge-page tunable: the command line from /proc/self/cmdline,
// the executable self_executable names (run as /proc/self/exe, the process would be
// named "exe" in ps and top), the environment ours with the tunable added.
#include "tools/cli/huge_pages.hpp"
#include "tools/cli/process.hpp"

#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>

namespace psim::cli {

namespace {

constexpr const char* tunable = "glibc.malloc.hugetlb";

// True in an AddressSanitizer build: its allocator ignores glibc's tunables.
constexpr bool sanitized() {
#if defined(__SANITIZE_ADDRESS__)
  return true;
#else
  return false;
#endif
}

} // namespace

std::optional<std::string> huge_pages_tunables(const char* tunables, const char* preload) {
  std::string value = tunables == nullptr ? "" : tunables;
  if ((preload != nullptr && *preload != '\0') || value.find(tunable) != std::string::npos)
    return std::nullopt;
  return value + (value.empty() ? "" : ":") + tunable + "=1";
}

void restart_with_huge_pages() {
  auto value = huge_pages_tunables(std::getenv("GLIBC_TUNABLES"), std::getenv("LD_PRELOAD"));
  if (sanitized() || !value)
    return;
  auto executable = self_executable();
  auto args = own_arguments();
  std::error_code ec;
  if (args.empty() || !std::filesystem::is_regular_file(executable, ec))
    return; // no /proc, or the executable was deleted since it started
  if (setenv("GLIBC_TUNABLES", value->c_str(), 1) != 0)
    return;
  replace_process(executable, std::move(args));
  // Still here: the restart failed; run on, with the tunable left for any children.
}

} // namespace psim::cli
