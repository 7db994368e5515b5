// A real-clock sweep says which runs kept up: sweep.csv gets each run's lag p99 and
// verdict, the table the worst verdict per grid point with its count; a virtual-clock
// sweep's files and table are as they were.
#include "tools/cli/sweep_results.hpp"

#include "tests/cli/plot_support.hpp"

#include <doctest/doctest.h>

using psim::cli::grid_point;
using psim::cli::run_result;

namespace {

// A finished run's summary: under the real clock with `verdict` (and p99 `p99_s`), or
// under the virtual clock when `verdict` is empty.
run_result run_of(const std::string& verdict, double p99_s = 0) {
  run_result r;
  r.finished = true;
  r.summary = {{"stopped_by", "time"}, {"clock", verdict.empty() ? "virtual" : "real"},
               {"final", {{"train_loss", 0.5}}}};
  if (!verdict.empty())
    r.summary["lag"] = {{"p99_s", p99_s}, {"verdict", verdict}};
  return r;
}

// Grid points over cluster.workers = 64, 768, two seeds each.
std::vector<grid_point> two_by_two() {
  std::vector<grid_point> points;
  for (std::string w : {"64", "768"})
    for (std::uint64_t seed : {1, 2})
      points.push_back({{w}, seed, "workers=" + w + ",seed=" + std::to_string(seed), {}});
  return points;
}

psim::cli::sweep_definition workers_sweep() {
  psim::cli::sweep_definition sweep;
  sweep.keys = {{"cluster.workers", "workers", {"64", "768"}}};
  sweep.repeat = 2;
  sweep.first_seed = 1;
  return sweep;
}

} // namespace

TEST_SUITE("cli.sweep_lag") {

TEST_CASE("a real-clock sweep's csv has each run's lag p99 and verdict") {
  auto dir = psim::test::temp_folder("sweep-lag");
  std::vector<run_result> results{run_of("may_reorder", 0.0012), run_of("on_time", 0.0003),
                                  run_of("fell_behind", 1.2), run_of("may_reorder", 0.004)};
  psim::cli::write_sweep_files(dir, workers_sweep(), two_by_two(), results);
  auto header = psim::test::csv_header(dir + "/sweep.csv");
  REQUIRE(header.size() >= 2);
  CHECK(header[header.size() - 2] == "lag_p99_s");
  CHECK(header.back() == "lag_verdict");
  auto rows = psim::test::read_csv(dir + "/sweep.csv");
  REQUIRE(rows.size() == 4);
  CHECK(rows[0]["lag_verdict"] == "may_reorder");
  CHECK(rows[0]["lag_p99_s"] == "0.0012");
  CHECK(rows[2]["lag_verdict"] == "fell_behind");
  CHECK(rows[2]["lag_p99_s"] == "1.2");
}

TEST_CASE("the table names the worst verdict of each grid point and how many had it") {
  std::vector<run_result> results{run_of("may_reorder"), run_of("on_time"),
                                  run_of("fell_behind"), run_of("may_reorder")};
  auto table = psim::cli::sweep_table(workers_sweep(), two_by_two(), results);
  CAPTURE(table);
  CHECK(table.find("real clock") != std::string::npos);
  CHECK(table.find("may reorder 1/2") != std::string::npos);
  CHECK(table.find("fell behind 1/2") != std::string::npos);
  results[0] = run_of("on_time");
  table = psim::cli::sweep_table(workers_sweep(), two_by_two(), results);
  CHECK(table.find("on time") != std::string::npos);
}

TEST_CASE("a virtual-clock sweep has no lag columns and no real-clock column") {
  auto dir = psim::test::temp_folder("sweep-virtual");
  std::vector<run_result> results(4, run_of(""));
  psim::cli::write_sweep_files(dir, workers_sweep(), two_by_two(), results);
  CHECK(psim::test::csv_header(dir + "/sweep.csv").back() == "wall_s");
  CHECK(psim::cli::sweep_table(workers_sweep(), two_by_two(), results).find("real clock")
        == std::string::npos);
}

} // TEST_SUITE
