// Scenarios that reproduce published results, run through the command line: their
// outputs hold what the statistical tests (tests/actors/asynchrony_momentum_test.cpp)
// and the figure script read; params.csv and its limit as a user meets them.
#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

#include <sstream>

using namespace psim::test;

namespace {

} // namespace

TEST_SUITE("scenarios.reproductions") {

TEST_CASE("asynchrony-momentum.toml: params.csv holds the weight at every version, rising to 2") {
  auto dir = temp_folder("momentum-scenario");
  const std::string file = "asynchrony-momentum.toml";
  auto r = run_psim("run scenarios/" + file + " -o '" + dir + "' --quiet");
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  auto summary = read_summary(dir);
  CHECK(summary["version"] == 64);
  CHECK(summary["staleness"]["max"].get<int>() > 0); // asynchrony: stale gradients
  auto params = lines_of(read_text(dir + "/params.csv"));
  auto metrics = read_metrics(dir);
  REQUIRE(params.size() == 66); // the header, then versions 0..64
  CHECK(params[0] == "version,time,p0");
  REQUIRE(metrics.size() == 65);
  double previous = -1;
  for (std::size_t v = 0; v <= 64; ++v) {
    std::istringstream row(params[v + 1]);
    std::string version, time, weight;
    std::getline(row, version, ',');
    std::getline(row, time, ',');
    std::getline(row, weight);
    CHECK(version == std::to_string(v));
    CHECK(version == metrics[v].at("version"));
    CHECK(time == metrics[v].at("time"));
    CHECK(std::stod(weight) > previous); // every step moves toward the optimum 2
    previous = std::stod(weight);
  }
  CHECK(previous == summary["params"][0].get<double>());
  CHECK(previous > 1.8);
  CHECK(previous < 2);
}

TEST_CASE("tracing every parameter of a 25,450-parameter MLP is refused with a hint") {
  auto r = run_psim("run scenarios/mnist-mlp-staleness.toml -o '" + temp_folder("params-limit")
                    + "' --quiet --set trace.params=true");
  CHECK(r.code == 2);
  CHECK(r.err.find("trace.params: found 25450 traced values per row") != std::string::npos);
  CHECK(r.err.find("trace.params = [0, 1, 2]") != std::string::npos);
  auto listed = temp_folder("params-listed");
  auto ok = run_psim("run scenarios/mnist-mlp-staleness.toml -o '" + listed
                     + "' --quiet --set trace.params=[25449,0] --set run.stop.updates=20");
  CAPTURE(ok.err);
  REQUIRE(ok.code == 0);
  CHECK(lines_of(read_text(listed + "/params.csv")).at(0) == "version,time,p25449,p0");
}

}
