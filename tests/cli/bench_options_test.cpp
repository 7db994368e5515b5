// The benchmark's command line (tools/benchmarks/bench_options.hpp): --help answers at
// once, and a mistyped option or value stops with a message and exit code 2 instead of
// starting a run of many minutes with it ignored. Only arguments that end before any
// benchmark starts are run here.
#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

using namespace psim::test;

namespace {

/// Runs the benchmark with `args`; requires that it stopped before measuring anything
/// (the first line of each part is not there).
process_result run_bench(const std::string& args) {
  auto r = run_program(PSIM_BENCH_BINARY, args);
  for (const char* part : {"scale:", "big models:", "real clock against the model",
                           "async 100 workers,", "against the targets"})
    CHECK_MESSAGE(r.out.find(part) == std::string::npos, part);
  return r;
}

} // namespace

TEST_SUITE("cli.bench_options") {
  TEST_CASE("--help lists every part and its sizes, and exits 0") {
    auto r = run_bench("--help");
    CHECK(r.code == 0);
    for (const char* option : {"--quick", "--million", "--copies", "--floor [N]", "--clock",
                               "--clock-workers", "--clock-seconds"})
      CHECK_MESSAGE(r.out.find(option) != std::string::npos, option);
  }

  TEST_CASE("an unknown option is an error, exit code 2") {
    auto r = run_bench("--quik");
    CHECK(r.code == 2);
    CHECK(r.err.find("--quik") != std::string::npos);
  }

  TEST_CASE("bad values are errors naming the option, exit code 2") {
    for (const char* args : {"--clock-workers 8,x", "--clock-workers 0", "--clock-seconds 0",
                             "--clock-seconds abc", "--floor 0", "--floor -5"}) {
      CAPTURE(args);
      auto r = run_bench(args);
      CHECK(r.code == 2);
      auto option = std::string{args}.substr(0, std::string{args}.find(' '));
      CHECK(r.err.find(option) != std::string::npos);
    }
  }

  TEST_CASE("parts that run alone exclude each other") {
    for (const char* args : {"--copies --floor", "--copies --clock", "--floor 10 --clock"}) {
      CAPTURE(args);
      auto r = run_bench(args);
      CHECK(r.code == 2);
      CHECK(r.err.find("excludes") != std::string::npos);
    }
  }
}
