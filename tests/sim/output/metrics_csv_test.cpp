// metrics.csv: ONE column table gives the header and the cells, columns in contract
// order, empty cells where a value is undefined, numbers that read back exactly.
#include "sim/output/metrics_csv.hpp"
#include "tests/support/run_files.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <stdexcept>

using namespace psim;

TEST_SUITE("sim.output.metrics_csv") {

TEST_CASE("metrics rows have the contract's columns and numbers that read back exactly") {
  auto dir = test::temp_folder("trace");
  {
    sim::metrics_csv w{dir + "/metrics.csv"};
    sim::metrics_row row;
    row.time = 0.1;
    row.wall = 1.0 / 3.0;
    row.version = 7;
    row.gradients = 28;
    row.train_loss = 2.0 / 3.0;
    row.staleness_mean = 3;
    w.write(row);
    // Rows are flushed as they are written.
    CHECK(test::read_text(dir + "/metrics.csv").find("\n0.1,") != std::string::npos);
  }
  auto rows = test::read_metrics(dir);
  REQUIRE(rows.size() == 1);
  CHECK(std::stod(rows[0]["wall"]) == 1.0 / 3.0);
  CHECK(std::stod(rows[0]["train_loss"]) == 2.0 / 3.0);
  CHECK(rows[0]["test_loss"].empty());
  CHECK(rows[0]["test_accuracy"].empty());
  CHECK(rows[0]["staleness_mean"] == "3");
  CHECK(test::read_text(dir + "/metrics.csv").rfind(
          "time,wall,version,gradients,train_loss,test_loss,test_accuracy,staleness_mean\n",
          0)
        == 0);
}

TEST_CASE("the header and every row have one cell per column of the table") {
  sim::metrics_row row;
  row.test_loss = 0.5;
  auto header = sim::metrics_header();
  auto line = sim::metrics_line(row);
  auto commas = [](const std::string& text) { return std::count(text.begin(), text.end(), ','); };
  CHECK(commas(header) + 1 == static_cast<long>(sim::metrics_columns().size()));
  CHECK(commas(line) == commas(header));
  CHECK(line == "0,0,0,0,0,0.5,,\n");
}

TEST_CASE("a metrics file that cannot be created is an error naming it") {
  auto dir = test::temp_folder("metrics-missing");
  auto path = dir + "/no-such-folder/metrics.csv";
  CHECK_THROWS_WITH_AS(sim::metrics_csv{path}, doctest::Contains(path.c_str()), std::runtime_error);
}

}
