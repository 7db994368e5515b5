// Every value a scenario can ask for has a bound, and an error message is one readable
// line whatever the value holds (issue: no input crashes psim).
#include "sim/scenario/scenario.hpp"
#include "tests/support/scenario_error_of.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace psim::sim;
using psim::test::error_of;

TEST_SUITE("sim.scenario.bounds") {

TEST_CASE("sizes that would exhaust memory are scenario errors, not aborts") {
  CHECK(error_of("[data]\nsamples = 0x7fffffff\n").key == "data.samples");
  CHECK(error_of("[data]\nfeatures = 9223372036854775807\n").key == "data.features");
  auto mlp = error_of("[data]\nsource = \"synthetic\"\ngenerator = \"blobs\"\n"
                      "[model]\nkind = \"mlp\"\nhidden = [1000000, 1000000]\n");
  CHECK(mlp.key == "model.hidden");
}

TEST_CASE("durations are bounded far below the 2^63 ns where CAF's clock wraps") {
  auto e = error_of("[run]\nstop = { time = 1e10 }\n");
  CHECK(e.key == "run.stop.time");
  CHECK(std::string{e.what()}.find("100000000]") != std::string::npos);
  CHECK(error_of("[network]\nlatency = 1e10\n").key == "network.latency");
  CHECK(error_of("[run]\nstall_timeout = 1e300\n").key == "run.stall_timeout");
  CHECK(error_of("[network]\ntimeout = 1e300\n").key == "network.timeout");
  CHECK(error_of("[network]\ntimeout = \"999999999999min\"\n").key == "network.timeout");
  CHECK_NOTHROW(parse_scenario("[run]\nstop = { time = 1e8 }\n", "s.toml"));
}

TEST_CASE("bandwidths are bounded on both sides") {
  CHECK(error_of("[network]\nbandwidth = 1e-300\n").key == "network.bandwidth");
  CHECK(error_of("[network]\nbandwidth = \"0.5B/s\"\n").key == "network.bandwidth");
  CHECK_NOTHROW(parse_scenario("[network]\nbandwidth = 1e18\n", "s.toml"));
}

TEST_CASE("a value with control characters or of great length is quoted as one short line") {
  auto e = error_of("[training]\nmode = \"a\\nb\\u001b[31m" + std::string(5000, 'x') + "\"\n");
  std::string message = e.what();
  CHECK(message.find('\n') == std::string::npos);
  CHECK(message.find('\x1b') == std::string::npos);
  CHECK(message.find("\\n") != std::string::npos);
  CHECK(message.find("\\x1b") != std::string::npos);
  CHECK(message.find("5008 characters in all") != std::string::npos);
  CHECK(message.size() < 400);
}

}

TEST_SUITE("sim.scenario.bounds") {

TEST_CASE("a scenario name is a safe folder name") {
  CHECK(error_of("name = \"../../../x\"\n").key == "name");
  CHECK(error_of("name = \"a/b\"\n").key == "name");
  CHECK(error_of("name = \".hidden\"\n").key == "name");
  CHECK(error_of("name = \"\"\n").key == "name");
  CHECK(parse_scenario("name = \"sync-vs-async_2.b\"\n", "s.toml").name == "sync-vs-async_2.b");
}

TEST_CASE("a scenario path that is not a regular file is refused, not read without end") {
  for (const char* path : {"/dev/zero", "/tmp"}) {
    CAPTURE(path);
    CHECK_THROWS_AS(load_scenario(path), scenario_error);
  }
}

}
