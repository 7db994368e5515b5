// params.csv: version, time, then the traced parameters in the order asked for, numbers
// that read back exactly; the 10,000-value limit and index range in scenario words.
#include "sim/output/params_csv.hpp"
#include "tests/support/run_files.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace psim;

TEST_SUITE("sim.output.params_csv") {

TEST_CASE("a params row holds version, time and the traced values, in the order asked for") {
  auto dir = test::temp_folder("params");
  {
    sim::params_csv w{dir + "/params.csv", {4, 0}};
    w.write(3, 0.25, {1.0 / 3.0, 1, 2, 3, -0.5});
    CHECK(test::read_text(dir + "/params.csv") == "version,time,p4,p0\n3,0.25,-0.5,"
                                                   "0.3333333333333333\n"); // flushed at once
    w.write(4, 0.5, {0, 1, 2, 3, 7});
  }
  CHECK(test::read_text(dir + "/params.csv") ==
        "version,time,p4,p0\n3,0.25,-0.5,0.3333333333333333\n4,0.5,7,0\n");
}

TEST_CASE("no list traces every parameter") {
  CHECK(sim::traced_params({}, 3) == std::vector<std::size_t>{0, 1, 2});
  CHECK(sim::traced_params({2}, 3) == std::vector<std::size_t>{2});
  CHECK(sim::params_header({0, 1, 2}) == "version,time,p0,p1,p2\n");
}

TEST_CASE("more than 10,000 traced values or an index beyond the model is refused") {
  CHECK(sim::params_trace_problem({}, 10000).empty());
  auto all = sim::params_trace_problem({}, 10001);
  CHECK(all.find("found 10001 traced values per row") != std::string::npos);
  CHECK(all.find("trace.params = [0, 1, 2]") != std::string::npos);
  CHECK(sim::params_trace_problem(std::vector<std::size_t>(10001, 0), 20).find(
          "10001 traced values per row (the list)") != std::string::npos);
  CHECK(sim::params_trace_problem({0, 5}, 5) ==
        "found index 5 for a model of 5 parameters; allowed: indices from 0 to 4");
  CHECK(sim::params_trace_problem({0, 4}, 5).empty());
}

}
