// Benchmark (not a test): async descent, 1 ms compute, 100 µs latency, under the real
// clock for `seconds` of real time, against the virtual clock's run of the same scenario
// to the same modelled time. kept = real versions / virtual versions; the issue's
// targets are >= 97 % at 8 workers and >= 90 % at 64.
// Run: build/bin/psim_bench --clock [--clock-workers 8,64,256] [--clock-seconds 3]
#include "tools/benchmarks/clock_bench.hpp"

#include "actors/runtime/runtime.hpp"
#include "sim/data/data.hpp"
#include "sim/scenario/scenario.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

namespace psim::bench {

namespace {

std::string scenario_text(std::size_t workers, double seconds, const char* clock) {
  return fmt::format(R"(
name = "bench-clock"
seed = 1
[run]
clock = "{}"
stop = {{ time = {} }}
eval_every = 1000
[data]
samples = {}
features = 10
noise = 0.1
[training]
mode = "async"
learning_rate = 0.0001
batch_size = 1
[cluster]
workers = {}
[compute]
time = "1ms"
[network]
latency = "100us"
)",
                     clock, seconds, std::max<std::size_t>(1000, 10 * workers), workers);
}

// The summary of one run of the benchmark scenario.
nlohmann::json run_once(std::size_t workers, double seconds, const char* clock) {
  auto scn = sim::parse_scenario(scenario_text(workers, seconds, clock), "bench-clock.toml");
  auto dir = (std::filesystem::temp_directory_path() / "psim-bench-clock").string();
  std::filesystem::create_directories(dir);
  sim::shared_data(scn.data, scn.seed, scn.cluster.workers); // set-up is not timed
  actors::run_scenario(scn, actors::run_options{dir, false});
  std::ifstream in(dir + "/summary.json");
  return nlohmann::json::parse(in);
}

} // namespace

void run_clock_bench(const clock_bench_options& options, target_sheet& sheet) {
  fmt::print("real clock against the model: async, 1 ms compute, 100 us latency, {} s\n",
             options.seconds);
  fmt::print("{:>8} {:>12} {:>12} {:>8} {:>11} {:>11} {:>11}\n", "workers", "virtual",
             "real", "kept", "lag p50", "lag p99", "lag max");
  for (auto workers : options.workers) {
    auto modelled = run_once(workers, options.seconds, "virtual");
    auto real = run_once(workers, options.seconds, "real");
    auto v = modelled["version"].get<double>();
    auto r = real["version"].get<double>();
    const auto& lag = real["lag"];
    auto ms = [&](const char* key) {
      return lag.is_object() ? fmt::format("{:.3f} ms", lag[key].get<double>() * 1e3)
                             : std::string{"-"};
    };
    if (v > 0)
      sheet.kept[workers] = 100 * r / v;
    fmt::print("{:>8} {:>12.0f} {:>12.0f} {:>7.1f}% {:>11} {:>11} {:>11}\n", workers, v, r,
               v > 0 ? 100 * r / v : 0.0, ms("p50_s"), ms("p99_s"), ms("max_s"));
  }
}

} // namespace psim::bench
