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

// About how many gradients the workers compute per version the server applies: a push
// per version (async, ssp), k pushes (ksync, kasync) or one per worker of the round, each
// push the end of `local_steps` gradients (allreduce takes none).
double gradients_per_version(const sim::scenario& scn) {
  const auto& t = scn.training;
  auto round = static_cast<double>(scn.cluster.participants != 0 ? scn.cluster.participants
                                                                 : scn.cluster.workers);
  auto pushes = 1.0;
  switch (t.mode) {
  case sim::mode_kind::async:
  case sim::mode_kind::ssp:
    break;
  case sim::mode_kind::ksync:
  case sim::mode_kind::kasync:
    pushes = static_cast<double>(t.k);
    break;
  case sim::mode_kind::sync:
  case sim::mode_kind::local_sgd:
    pushes = round;
    break;
  case sim::mode_kind::allreduce:
    return round;
  }
  return pushes * static_cast<double>(t.local_steps);
}

} // namespace

bool worth_huge_pages(const sim::scenario& scn, std::uint64_t bytes) {
  if (bytes < huge_pages_from)
    return false;
  const auto& updates = scn.run.stop.updates;
  if (!updates) // stopped by time, loss or wall: it may run long
    return true;
  auto gradients = static_cast<double>(*updates) * gradients_per_version(scn);
  return gradients >= huge_pages_from_gradients_per_worker
                        * static_cast<double>(scn.cluster.workers);
}

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
