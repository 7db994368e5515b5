// The scale rows: each (mode, workers, gradients) runs in a forked child under the
// virtual clock; wait4 gives its CPU time and peak RSS. Two gradient counts per size
// separate the cost per gradient (the difference of their user time: the updates make
// no system calls, while the kernel's time to map the set-up's memory, huge pages
// above all, swings by a second from run to run) from set-up and stop (the rest). Then
// the bare CAF program's growth (caf_floor.cpp), and the least growth three cold CAF
// actors per update allow, each wake paid as in cold_actor.cpp.
#include "tools/benchmarks/scale_bench.hpp"
#include "tools/benchmarks/caf_floor.hpp"
#include "tools/benchmarks/cold_actor.hpp"

#include "actors/runtime/runtime.hpp"
#include "sim/scenario/scenario.hpp"

#include <fmt/format.h>

#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace psim::bench {

namespace {

// A 10-parameter linear model (9 features and a bias), batch 1, 1 ms mean compute.
std::string scale_scenario(const char* mode, std::uint64_t workers, std::uint64_t updates,
                           std::uint64_t samples) {
  return fmt::format(R"(
name = "bench-scale"
seed = 1
[run]
stop = {{ updates = {} }}
eval_every = {}
[data]
samples = {}
test_fraction = 0.05
features = 9
noise = 0.1
[training]
mode = "{}"
learning_rate = 1e-7
batch_size = 1
[cluster]
workers = {}
[compute]
time = {{ dist = "exponential", mean = "1ms" }}
[network]
latency = "100us"
)",
                     updates, std::max<std::uint64_t>(updates, 1), samples, mode, workers);
}

struct measured {
  double cpu = 0;              // seconds, user and system, of the whole child
  double user = 0;             // seconds in user mode
  double rss = 0;              // peak resident bytes of the child
  std::uint64_t gradients = 0; // applied
  bool ok = false;
};

// Runs the scenario in a child process; the parent only waits and reads summary.json.
measured run_child(const std::string& text) {
  auto dir = (std::filesystem::temp_directory_path() / "psim-bench-scale").string();
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    int rc = 1;
    try {
      auto scn = sim::parse_scenario(text, "bench-scale.toml");
      auto outcome = actors::run_scenario(scn, actors::run_options{dir, false});
      // One number for the parent: parsing a big summary.json there would raise the
      // peak RSS every later child starts from.
      if (outcome.summary) {
        std::ofstream(dir + "/applied") << outcome.summary->gradients.applied;
        rc = 0;
      }
    } catch (const std::exception& e) {
      fmt::print(stderr, "scale bench: {}\n", e.what());
    }
    _exit(rc);
  }
  measured m;
  int status = 0;
  rusage usage{};
  if (pid < 0 || wait4(pid, &status, 0, &usage) != pid || !WIFEXITED(status)
      || WEXITSTATUS(status) != 0)
    return m;
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  m.user = seconds(usage.ru_utime);
  m.cpu = m.user + seconds(usage.ru_stime);
  m.rss = static_cast<double>(usage.ru_maxrss) * 1024;
  std::ifstream in(dir + "/applied");
  m.ok = static_cast<bool>(in >> m.gradients);
  return m;
}

// One size: the cost per gradient from two runs, and what the rest of the run costs.
struct size_result {
  std::uint64_t workers = 0;
  double per_second = 0; // gradients applied per CPU-second, set-up and stop excluded
  double fixed = 0;      // CPU-seconds of data, spawning and stopping
  double rss = 0;        // peak RSS of a run of a few updates
  bool timed = false;    // per_second and fixed were measured
  bool ok = false;
};

size_result measure(const char* mode, std::uint64_t workers, std::uint64_t gradients,
                    std::uint64_t samples) {
  bool sync = std::string{mode} == "sync";
  // sync: an update is a round of one gradient per worker.
  auto updates = [&](std::uint64_t g) {
    return sync ? std::max<std::uint64_t>(g / workers, 1) : g;
  };
  size_result r{workers};
  // Fewer gradients than two per worker measure the start, not the steady state (and
  // a sync run would be one round either way): memory only.
  r.timed = gradients >= 2 * workers;
  if (r.timed) {
    auto a = run_child(scale_scenario(mode, workers, updates(gradients), samples));
    auto b = run_child(scale_scenario(mode, workers, updates(2 * gradients), samples));
    if (!a.ok || !b.ok || b.gradients <= a.gradients)
      return r;
    auto per_gradient = (b.user - a.user) / static_cast<double>(b.gradients - a.gradients);
    r.per_second = per_gradient > 0 ? 1 / per_gradient : 0;
    r.fixed = std::max(0.0, a.cpu - per_gradient * static_cast<double>(a.gradients));
  }
  // Memory from a run of a few updates: what the updates leave behind (timers, metrics)
  // would blur what the workers cost.
  auto brief = run_child(scale_scenario(mode, workers, sync ? 1 : 10, samples));
  r.rss = brief.rss;
  r.ok = brief.ok;
  return r;
}

// The rows of one mode; returns the results in the order of `sizes`.
std::vector<size_result> print_mode(const char* mode, const std::vector<std::uint64_t>& sizes,
                                    std::uint64_t gradients, std::uint64_t samples) {
  fmt::print("{:>9} {:>16} {:>14} {:>12} {:>16}\n", "workers", "gradients/CPU-s",
             "set-up+stop s", "peak RSS", "bytes/worker");
  std::vector<size_result> results;
  for (auto n : sizes) {
    auto r = measure(mode, n, gradients, samples);
    results.push_back(r);
    if (!r.ok) {
      fmt::print("{:>9} failed\n", n);
      continue;
    }
    const auto& base = results.front();
    // Below 1,000 workers the difference is lost in page-sized noise.
    auto per_worker = n >= 1000 && base.ok
                        ? fmt::format("{:.0f}", (r.rss - base.rss) / double(n - base.workers))
                        : std::string{"-"};
    auto speed = r.timed ? fmt::format("{:.0f}", r.per_second) : std::string{"-"};
    auto fixed = r.timed ? fmt::format("{:.2f}", r.fixed) : std::string{"-"};
    fmt::print("{:>9} {:>16} {:>14} {:>9.0f} MB {:>16}\n", n, speed, fixed, r.rss / 1e6,
               per_worker);
  }
  return results;
}

// CPU seconds per update of the bare CAF program with `workers` workers: the difference
// of a run of `updates` and one of twice as many, as for psim's rows.
double floor_cost(std::uint32_t workers, std::uint64_t updates) {
  auto a = run_caf_floor(workers, updates);
  auto b = run_caf_floor(workers, 2 * updates);
  return (b.cpu - a.cpu) / static_cast<double>(b.updates - a.updates);
}

} // namespace

void run_scale_bench(bool quick, bool million, target_sheet& sheet) {
  std::vector<std::uint64_t> sizes{10, 100, 1'000, 100'000};
  if (million)
    sizes.push_back(1'000'000);
  std::uint64_t gradients = quick ? 200'000 : 1'000'000;
  // The same data set at every size: bytes per worker are differences of peak RSS. A
  // tenth more than the workers, so that after the 5 % test split each has a sample.
  auto samples = sizes.back() * 11 / 10 + 1000;
  fmt::print("\nscale: 10 parameters, batch 1, virtual clock, {} and {} gradients per size "
             "(bytes per worker: peak RSS of a run of a few updates, above the 10-worker one's)\n",
             gradients, 2 * gradients);
  struct mode_growth {
    bool async;
    double growth;     // cost per gradient, 100,000 workers against 100
    double cost_at100; // CPU-seconds per gradient at 100 workers
  };
  std::vector<mode_growth> measured;
  for (const char* mode : {"async", "sync"}) {
    fmt::print("{}\n", mode);
    auto rows = print_mode(mode, sizes, gradients, samples);
    const auto& at100 = rows[1];
    const auto& at100k = rows[3];
    bool async = std::string{mode} == "async";
    if (async && million && rows[4].ok)
      sheet.million_rss = rows[4].rss;
    if (async && rows[0].ok && at100k.ok)
      sheet.bytes_per_worker = (at100k.rss - rows[0].rss) / double(at100k.workers - rows[0].workers);
    if (!at100.ok || !at100k.ok)
      continue;
    const auto& m = measured.emplace_back(
      mode_growth{async, at100.per_second / at100k.per_second, 1 / at100.per_second});
    (async ? sheet.async_growth : sheet.sync_growth) = m.growth;
    fmt::print("{} per-gradient cost at 100,000 workers against 100: {:.2f}\n", mode,
               m.growth);
  }
  auto caf_growth = floor_cost(100'000, gradients) / floor_cost(100, gradients);
  fmt::print("bare CAF (caf_floor.cpp, the same 4 messages, no psim), per-update cost at "
             "100,000 workers against 100: {:.2f}\n", caf_growth);
  sheet.caf_growth = caf_growth;
  // What psim adds to the growth CAF's own mailboxes and dispatch show on this machine.
  for (const auto& m : measured)
    fmt::print("{} growth against bare CAF's growth: {:.2f}\n", m.async ? "async" : "sync",
               m.growth / caf_growth);
  // A lower bound: an update of either mode wakes three per-worker actors (uplink,
  // server's reply through the downlink, worker), each cold at 100,000 workers.
  auto cold = cold_actor_cost(100'000, gradients) - cold_actor_cost(100, gradients);
  fmt::print("bare CAF waking a random one of N actors (cold_actor.cpp): one cold actor "
             "costs {:.2f} us more at 100,000 than at 100\n", cold * 1e6);
  for (const auto& m : measured) {
    auto least = (m.cost_at100 + 3 * cold) / m.cost_at100;
    fmt::print("{} growth were all but its three cold actors free: at least {:.2f}\n",
               m.async ? "async" : "sync", least);
    (m.async ? sheet.least_async_growth : sheet.least_sync_growth) = least;
  }
}

} // namespace psim::bench
