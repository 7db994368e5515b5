// Big runs start themselves again with glibc's huge pages (tools/cli/huge_pages.hpp): when
// they do, what the restart sets, and that a restarted run keeps its arguments and its
// outputs.
#include "tests/support/psim_process.hpp"
#include "tools/cli/huge_pages.hpp"

#include <doctest/doctest.h>

using namespace psim::test;
using psim::cli::huge_pages_tunables;
using psim::cli::worth_huge_pages;

namespace {

// Runs `env <env> psim <args>` from the source tree; returns its exit code.
int run_psim_with(const std::string& env, const std::string& args) {
  auto cmd = "cd '" PSIM_SOURCE_DIR "' && env " + env + " '" PSIM_BINARY "' " + args
             + " >/dev/null 2>&1 </dev/null";
  auto status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// summary.json of `dir` without its wall-clock seconds, the one line that differs.
std::string summary_without_wall(const std::string& dir) {
  auto summary = read_summary(dir);
  summary.erase("wall_s");
  return summary.dump();
}

// A scenario of `workers` workers in `mode`, with `stop` as its [run] stop.
psim::sim::scenario scenario_of(std::size_t workers, const std::string& mode,
                                const std::string& stop) {
  auto text = "[run]\nstop = " + stop + "\n[data]\nsamples = 1000000\nfeatures = 4\n"
              "[training]\nmode = \"" + mode + "\"\nk = 2\n[cluster]\nworkers = "
              + std::to_string(workers) + "\n";
  return psim::sim::parse_scenario(text, "test.toml");
}

} // namespace

TEST_SUITE("cli.huge_pages") {

TEST_CASE("a restart adds the tunable to the others, once, and never under a preload") {
  CHECK(huge_pages_tunables(nullptr, nullptr) == "glibc.malloc.hugetlb=1");
  CHECK(huge_pages_tunables("", nullptr) == "glibc.malloc.hugetlb=1");
  CHECK(huge_pages_tunables("glibc.malloc.arena_max=2", nullptr)
        == "glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1");
  CHECK(huge_pages_tunables("", "") == "glibc.malloc.hugetlb=1"); // an empty preload is none
  // Already set, to anything: the user's choice, or this is the restarted process.
  CHECK_FALSE(huge_pages_tunables("glibc.malloc.hugetlb=1", nullptr));
  CHECK_FALSE(huge_pages_tunables("glibc.malloc.hugetlb=0", nullptr));
  CHECK_FALSE(huge_pages_tunables("glibc.malloc.arena_max=2:glibc.malloc.hugetlb=2", nullptr));
  // valgrind preloads its core: a restart would leave the tool behind.
  CHECK_FALSE(huge_pages_tunables(nullptr, "/usr/libexec/valgrind/vgpreload_core-amd64-linux.so"));
}

TEST_CASE("a run restarts when it is big and computes enough gradients per worker") {
  constexpr std::uint64_t big = psim::cli::huge_pages_from;
  auto async = scenario_of(100000, "async", "{ updates = 1600000 }"); // 16 per worker
  CHECK(worth_huge_pages(async, big));
  CHECK_FALSE(worth_huge_pages(async, big - 1)); // small: fits the TLB's reach anyway
  // A few gradients per worker: set-up is most of the run (million-workers.toml).
  CHECK_FALSE(worth_huge_pages(scenario_of(100000, "async", "{ updates = 1599999 }"), big));
  CHECK_FALSE(worth_huge_pages(scenario_of(1000000, "async", "{ updates = 100000 }"), big));
  // Not stopped by updates: it may run long.
  CHECK(worth_huge_pages(scenario_of(100000, "async", "{ time = 0.01 }"), big));
  CHECK(worth_huge_pages(scenario_of(100000, "async", "{ loss = 0.5 }"), big));
  // A version of sync is a gradient of every worker; of ksync and kasync, k gradients.
  CHECK(worth_huge_pages(scenario_of(100000, "sync", "{ updates = 16 }"), big));
  CHECK_FALSE(worth_huge_pages(scenario_of(100000, "sync", "{ updates = 15 }"), big));
  CHECK(worth_huge_pages(scenario_of(100000, "kasync", "{ updates = 800000 }"), big));
  CHECK_FALSE(worth_huge_pages(scenario_of(100000, "ksync", "{ updates = 799999 }"), big));
  // Each push ends `local_steps` gradients (FedAsync here: 8 per version).
  auto fedasync = psim::sim::parse_scenario(
    "[run]\nstop = { updates = 200000 }\n[data]\nsamples = 1000000\nfeatures = 4\n"
    "[training]\nmode = \"async\"\nlocal_steps = 8\n[cluster]\nworkers = 100000\n",
    "test.toml");
  CHECK(worth_huge_pages(fedasync, big));
  fedasync.run.stop.updates = 199999;
  CHECK_FALSE(worth_huge_pages(fedasync, big));
}

TEST_CASE("a run big enough to restart keeps its arguments and its outputs") {
  // 20,000 workers: an estimate above 32 MB, stopped by time, so the first run starts
  // itself again; the second is told not to. Both must honour -o and every --set given
  // before the restart.
  auto args = [](const std::string& dir) {
    return "run scenarios/million-workers.toml -o '" + dir + "' --quiet "
           "--set cluster.workers=20000 --set data.samples=25000 --set run.stop={time=0.0003}";
  };
  auto restarted = temp_folder("huge-pages-on");
  auto plain = temp_folder("huge-pages-off");
  REQUIRE(run_psim_with("-u GLIBC_TUNABLES -u LD_PRELOAD", args(restarted)) == 0);
  REQUIRE(run_psim_with("-u LD_PRELOAD GLIBC_TUNABLES=glibc.malloc.hugetlb=0", args(plain)) == 0);
  auto summary = read_summary(restarted);
  CHECK(summary["version"] > 1000);
  CHECK(summary["workers"].size() == 20000);
  CHECK(summary_without_wall(restarted) == summary_without_wall(plain));
  CHECK(metrics_without_wall(restarted) == metrics_without_wall(plain));
}

}
