// The benchmark's command line (bench_options.hpp).
#include "tools/benchmarks/bench_options.hpp"

#include <CLI/CLI.hpp>

namespace psim::bench {

namespace {

/// Updates of `--floor` given without a number.
constexpr std::uint64_t floor_updates = 200'000;

} // namespace

int read_bench_options(int argc, char** argv, bench_options& options) {
  CLI::App app{"psim's benchmarks: psim against programs doing the same work without it, "
               "each figure a ratio measured in this run; ends with the targets table",
               "tools/bench"};
  app.add_flag("--quick", options.quick, "smaller sizes: about a minute");
  app.add_flag("--million", options.million,
               "the scale rows also at 1,000,000 workers (minutes, about 7 GiB)");
  auto* copies = app.add_flag("--copies", options.copies, "the big-model cases alone");
  std::uint64_t floor = floor_updates;
  auto* floor_opt = app.add_option("--floor", floor,
                                   "psim's share of the bare CAF floor alone, 100 workers, "
                                   "N updates (default 200000)")
                      ->expected(0, 1)
                      ->type_name("[N]")
                      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1'000'000'000}));
  auto* clock = app.add_flag("--clock", options.clock.only,
                             "the real clock's kept-time ratio alone");
  app.add_option("--clock-workers", options.clock.workers,
                 "cluster sizes of the clock benchmark, e.g. 8,64,256")
    ->delimiter(',')
    ->check(CLI::Range(std::size_t{1}, std::size_t{100'000}));
  app.add_option("--clock-seconds", options.clock.seconds,
                 "real seconds of each clock benchmark run (default 3)")
    ->check(CLI::Range(0.1, 3600.0));
  copies->excludes(floor_opt)->excludes(clock);
  floor_opt->excludes(clock);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  if (floor_opt->count() > 0)
    options.floor = floor == 0 ? floor_updates : floor; // 0: given without a number
  return -1;
}

} // namespace psim::bench
