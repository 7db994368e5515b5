// Tests of sim/scenario/scenario.cpp: defaults, units, distributions, --set, the resolved text,
// and the file, line, column, key and message of every kind of mistake.
#include "sim/scenario/scenario.hpp"
#include "tests/support/scenario_error_of.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

using namespace psim::sim;
using psim::test::error_of;

namespace {

/// A fresh folder under the system's temporary directory.
std::filesystem::path temp_folder(const std::string& name) {
  auto folder = std::filesystem::temp_directory_path() / ("psim-scenario-test-" + name);
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream(path) << text;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_SUITE("sim.scenario") {

TEST_CASE("an empty scenario resolves to every default") {
  auto s = parse_scenario("", "scenarios/empty.toml");
  CHECK(s.name == "empty");
  CHECK(s.seed == 42);
  CHECK(s.run.clock == clock_kind::virtual_time);
  CHECK(s.run.stop.updates == 1000u);
  CHECK_FALSE(s.run.stop.time);
  CHECK(s.run.eval_every == 10u);
  CHECK(s.data.source == "synthetic");
  CHECK(s.data.samples == 1000u);
  CHECK(s.data.noise == 0.1);
  CHECK(s.model.bias);
  CHECK(s.training.mode == mode_kind::sync);
  CHECK(s.training.learning_rate == 0.1);
  CHECK(s.training.batch_size == 32u);
  CHECK(s.training.drop_stale == -1);
  CHECK(s.cluster.workers == 4u);
  CHECK(s.compute.time.kind == dist_kind::exponential);
  CHECK(s.compute.time.a == 0.01);
  CHECK(s.network.latency.kind == dist_kind::constant);
  CHECK(s.network.latency.a == 0.001);
  CHECK(s.network.bandwidth == 1e9);
  CHECK_FALSE(s.trace.events);
  CHECK(s.resolved.rfind("# Resolved by psim", 0) == 0);
  CHECK(contains(s.resolved, "mode = \"sync\""));
  CHECK(contains(s.resolved, "learning_rate = 0.1\n"));
  CHECK(contains(s.resolved, "stop = { updates = 1000 }"));
  CHECK(contains(s.resolved, "time = { dist = \"exponential\", mean = \"10ms\" }"));
  CHECK(contains(s.resolved, "latency = \"1ms\""));
}

TEST_CASE("durations and bandwidths are read in seconds and bytes per second") {
  auto s = parse_scenario(R"(
[run]
stop = { time = "2min", wall = 30 }
stall_timeout = "1.5s"
[cluster]
server_apply_time = "250us"
[network]
bandwidth = "1Gbit/s"
timeout = 0.1
)", "s.toml");
  CHECK(s.run.stop.time == 120.0);
  CHECK(s.run.stop.wall == 30.0);
  CHECK_FALSE(s.run.stop.updates);
  CHECK(s.run.stall_timeout == 1.5);
  CHECK(s.cluster.server_apply_time == 0.00025);
  CHECK(s.network.bandwidth == 1.25e8);
  CHECK(s.network.timeout == 0.1);
  CHECK(parse_scenario("network.bandwidth = \"10MiB/s\"", "s.toml").network.bandwidth
        == 10.0 * 1024 * 1024);
  CHECK(parse_scenario("network.bandwidth = 800", "s.toml").network.bandwidth == 800.0);
}

TEST_CASE("every distribution form gives its family and parameters") {
  auto dist = [](const std::string& value) {
    return parse_scenario("compute.time = " + value, "s.toml").compute.time;
  };
  auto d = dist(R"("5ms")");
  CHECK((d.kind == dist_kind::constant && d.a == 0.005));
  d = dist("0.25");
  CHECK((d.kind == dist_kind::constant && d.a == 0.25));
  d = dist(R"({ dist = "constant", value = "2s" })");
  CHECK((d.kind == dist_kind::constant && d.a == 2.0));
  d = dist(R"({ dist = "uniform", min = "1ms", max = "3ms" })");
  CHECK((d.kind == dist_kind::uniform && d.a == 0.001 && d.b == 0.003));
  d = dist(R"({ dist = "shifted_exponential", shift = "1ms", mean = "2ms" })");
  CHECK((d.kind == dist_kind::shifted_exponential && d.a == 0.001 && d.b == 0.002));
  d = dist(R"({ dist = "normal", mean = "10ms", std = "2ms" })");
  CHECK((d.kind == dist_kind::normal && d.a == 0.01 && d.b == 0.002));
  d = dist(R"({ dist = "lognormal", median = "20ms", sigma = 0.5 })");
  CHECK((d.kind == dist_kind::lognormal && d.a == 0.02 && d.b == 0.5));
  d = dist(R"({ dist = "pareto", scale = "1ms", shape = 2 })");
  CHECK((d.kind == dist_kind::pareto && d.a == 0.001 && d.b == 2.0));
}

TEST_CASE("an empirical distribution reads its file next to the scenario") {
  auto folder = temp_folder("empirical");
  write_file(folder / "times.txt", "# measured\n1ms\n\n  2ms\n0.5\n");
  write_file(folder / "e.toml",
             "[compute]\ntime = { dist = \"empirical\", path = \"times.txt\" }\n");
  auto s = load_scenario((folder / "e.toml").string());
  REQUIRE(s.compute.time.kind == dist_kind::empirical);
  REQUIRE(s.compute.time.samples);
  CHECK(*s.compute.time.samples == std::vector<double>{0.001, 0.002, 0.5});
  // The path found is written back, so the resolved text finds the file from anywhere.
  CHECK(contains(s.resolved, (folder / "times.txt").generic_string()));
  CHECK(parse_scenario(s.resolved, "again.toml").resolved == s.resolved);
}

TEST_CASE("a bad line of an empirical file is reported at that file's line") {
  auto folder = temp_folder("empirical-bad");
  write_file(folder / "times.txt", "1ms\n  fast\n");
  write_file(folder / "e.toml", "compute.time = { dist = \"empirical\", path = \"times.txt\" }\n");
  try {
    load_scenario((folder / "e.toml").string());
    FAIL("no error");
  } catch (const scenario_error& e) {
    CHECK(e.file == (folder / "times.txt").generic_string());
    CHECK(e.line == 2);
    CHECK(e.column == 3);
    CHECK(e.key == "compute.time.path");
    CHECK(contains(e.what(), "found \"fast\"; allowed: one duration per line"));
  }
}

TEST_CASE("an unknown key is reported where it stands, with the closest allowed key") {
  auto e = error_of("[training]\nmode = \"sync\"\nlerning_rate = 0.5\n");
  CHECK(e.file == "s.toml");
  CHECK(e.line == 3);
  CHECK(e.column == 1);
  CHECK(e.key == "training.lerning_rate");
  CHECK(contains(e.what(), "unknown key \"lerning_rate\" in [training]; allowed: mode, "
                           "learning_rate, batch_size"));
  CHECK(contains(e.what(), "(did you mean \"learning_rate\"?)"));
  auto top = error_of("sed = 1\n");
  CHECK(top.key == "sed");
  CHECK(contains(top.what(), "unknown key \"sed\" at the top level"));
  CHECK(contains(top.what(), "did you mean \"seed\"?"));
}

TEST_CASE("a value of the wrong type names what was found and what is allowed") {
  auto e = error_of("[trace]\nevents = \"yes\"\n");
  CHECK(e.line == 2);
  CHECK(e.column == 10);
  CHECK(e.key == "trace.events");
  CHECK(contains(e.what(), "found a string; allowed: a boolean"));
  auto d = error_of("[cluster]\nserver_apply_time = true\n");
  CHECK(d.key == "cluster.server_apply_time");
  CHECK(contains(d.what(), "found a boolean; allowed: a number of seconds or a string"));
}

TEST_CASE("a value out of range names the allowed range") {
  auto e = error_of("[cluster]\nworkers = -3\n");
  CHECK(e.line == 2);
  CHECK(e.column == 11);
  CHECK(e.key == "cluster.workers");
  CHECK(contains(e.what(), "found -3; allowed: an integer in [1, 10000000]"));
  auto lr = error_of("training.learning_rate = 0\n");
  CHECK(lr.key == "training.learning_rate");
  CHECK(contains(lr.what(), "found 0; allowed: a number > 0"));
  auto drop = error_of("network.drop = 1.0\n");
  CHECK(contains(drop.what(), "found 1; allowed: a number in [0, 1)"));
  auto servers = error_of("cluster.servers = 0\n");
  CHECK(contains(servers.what(), "found 0; allowed: an integer"));
  auto stop = error_of("run.stop = {}\n");
  CHECK(stop.key == "run.stop");
  CHECK(contains(stop.what(), "allowed: a table with at least one of updates, time, loss, wall"));
  auto duration = error_of("network.timeout = \"0ms\"\n");
  CHECK(contains(duration.what(), "found \"0ms\"; allowed: a duration in (0, 100000000] seconds"));
}

TEST_CASE("an unknown choice lists the allowed ones") {
  auto e = error_of("[training]\nmode = \"asynch\"\n");
  CHECK(e.line == 2);
  CHECK(e.column == 8);
  CHECK(e.key == "training.mode");
  CHECK(contains(e.what(), "found \"asynch\"; allowed: sync | async | ssp | ksync | kasync | local_sgd | allreduce (did you mean \"async\"?)"));
}

TEST_CASE("weights must have one number per feature") {
  auto e = error_of("[data]\nfeatures = 3\nweights = [1.0, 2.0]\n");
  CHECK(e.line == 3);
  CHECK(e.column == 11);
  CHECK(e.key == "data.weights");
  CHECK(contains(e.what(), "found 2 weights for features = 3; allowed: an array of 3 numbers"));
  auto element = error_of("data.weights = [1.0, \"x\"]\n");
  CHECK(element.column == 22);
  CHECK(contains(element.what(), "found \"x\" in the array; allowed: an array of finite numbers"));
}

TEST_CASE("synthetic data must leave a training sample for every worker") {
  auto e = error_of("[data]\nsamples = 10\ntest_fraction = 0.5\n[cluster]\nworkers = 8\n");
  CHECK(e.line == 2);
  CHECK(e.key == "data.samples");
  CHECK(contains(e.what(), "found samples = 10 with test_fraction = 0.5, which leaves 5 "
                           "training samples for cluster.workers = 8"));
}

TEST_CASE("a TOML syntax error is reported with the parser's position") {
  auto e = error_of("seed = 1\nname = = \"x\"\n");
  CHECK(e.file == "s.toml");
  CHECK(e.line == 2);
  CHECK(e.column == 8);
  CHECK(e.key == "");
  CHECK(std::string(e.what()).size() > 0);
}

TEST_CASE("csv data needs a path and rejects the keys of synthetic data") {
  auto e = error_of("seed = 1\n[data]\nsource = \"csv\"\n");
  CHECK(e.line == 2);
  CHECK(e.column == 1);
  CHECK(e.key == "data.path");
  CHECK(contains(e.what(), "missing key \"path\" (source = \"csv\" needs the file to read)"));
  auto other = error_of("[data]\nsource = \"csv\"\npath = \"a.csv\"\nfeatures = 10\n");
  CHECK(other.line == 4);
  CHECK(other.key == "data.features");
  CHECK(contains(other.what(),
                 "\"features\" is for source = \"synthetic\" (here source = \"csv\")"));
  auto s = parse_scenario("[data]\nsource = \"csv\"\npath = \"a.csv\"\ntarget = 2\n", "s.toml");
  // A relative path is taken from the scenario's folder (of "s.toml": the current one).
  CHECK(s.data.path == (std::filesystem::current_path() / "a.csv").generic_string());
  CHECK(s.data.target == "2");
  CHECK(contains(error_of("data.path = \"a.csv\"\n").what(), "\"path\" is for source = \"csv\""));
}

TEST_CASE("a bad distribution parameter is reported inside its table") {
  auto unknown =
    error_of("[compute]\ntime = { dist = \"exponential\", mean = \"1ms\", std = \"2ms\" }\n");
  CHECK(unknown.line == 2);
  CHECK(unknown.column == 46);
  CHECK(unknown.key == "compute.time.std");
  CHECK(contains(unknown.what(), "unknown key \"std\" in compute.time; allowed: dist, mean"));
  auto missing = error_of("compute.time = { dist = \"normal\", mean = \"1ms\" }\n");
  CHECK(missing.key == "compute.time.std");
  CHECK(contains(missing.what(), "missing key \"std\" (dist = \"normal\" needs mean and std)"));
  auto shape = error_of("network.latency = { dist = \"pareto\", scale = \"1ms\", shape = 0 }\n");
  CHECK(shape.key == "network.latency.shape");
  CHECK(contains(shape.what(), "found 0; allowed: a number > 0"));
  auto order = error_of("compute.time = { dist = \"uniform\", min = \"2ms\", max = \"1ms\" }\n");
  CHECK(order.key == "compute.time.max");
  CHECK(contains(order.what(), "found max = \"1ms\" below min = \"2ms\"; allowed: max >= min"));
  auto family = error_of("compute.time = { dist = \"gamma\", mean = \"1ms\" }\n");
  CHECK(family.key == "compute.time.dist");
  CHECK(contains(family.what(), "found \"gamma\"; allowed: constant | uniform | exponential"));
  auto unit = error_of("network.latency = \"10 parsecs\"\n");
  CHECK(contains(unit.what(), "found \"10 parsecs\"; allowed: a number of seconds or a string"));
}

TEST_CASE("--set overrides a value, creates a missing table and accepts a bare word") {
  auto s = parse_scenario("[training]\nlearning_rate = 0.5\n", "s.toml",
                          {"training.learning_rate=0.25", "training.mode=async",
                           "run.stop={ time = \"3s\" }", "network.latency=5ms"});
  CHECK(s.training.learning_rate == 0.25);
  CHECK(s.training.mode == mode_kind::async);
  CHECK(s.run.stop.time == 3.0);
  CHECK_FALSE(s.run.stop.updates);
  CHECK(s.network.latency.a == 0.005);
  CHECK(contains(s.resolved, "mode = \"async\""));
  auto created = parse_scenario("", "s.toml", {"compute.time.dist=\"constant\"",
                                               "compute.time.value=0.5"});
  CHECK((created.compute.time.kind == dist_kind::constant && created.compute.time.a == 0.5));
}

TEST_CASE("--set reports its own mistakes as --set with the column in the argument") {
  auto range = error_of("", {"training.learning_rate=-1"});
  CHECK(range.file == "--set");
  CHECK(range.line == 1);
  CHECK(range.column == 24);
  CHECK(range.key == "training.learning_rate");
  CHECK(contains(range.what(), "found -1; allowed: a number > 0"));
  auto no_equals = error_of("", {"training.mode"});
  CHECK((no_equals.file == "--set" && no_equals.column == 1));
  CHECK(contains(no_equals.what(), "allowed: KEY=VALUE"));
  auto not_table = error_of("seed = 3\n", {"seed.x=1"});
  CHECK((not_table.file == "--set" && not_table.column == 1 && not_table.key == "seed.x"));
  CHECK(contains(not_table.what(), "found seed = 3; allowed: a table to hold \"x\""));
  auto syntax = error_of("", {"data.weights=[1,"});
  CHECK((syntax.file == "--set" && syntax.key == "data.weights"));
  CHECK(syntax.column >= 14);
  auto unknown = error_of("", {"training.lerning_rate=0.5"});
  CHECK((unknown.file == "--set" && unknown.column == 10));
  CHECK(contains(unknown.what(), "did you mean \"learning_rate\"?"));
}

TEST_CASE("the resolved text parses again to the same scenario and floats read back exactly") {
  auto s = parse_scenario(R"(
seed = 7
[data]
features = 3
weights = [0.1, 1e-7, 2.5e300]
bias = 0.3333333333333333
[model]
l2 = 1e-7
[training]
learning_rate = 0.1
)", "float.toml", {"network.drop=0.3333333333333333"});
  CHECK(contains(s.resolved, "0.1,\n"));
  CHECK(contains(s.resolved, "1e-07,\n"));
  CHECK(contains(s.resolved, "2.5e+300\n"));
  CHECK_FALSE(contains(s.resolved, "00000"));
  CHECK(contains(s.resolved, "learning_rate = 0.1\n"));
  CHECK(contains(s.resolved, "bias = 0.3333333333333333\n"));
  auto again = parse_scenario(s.resolved, "other.toml");
  CHECK(again.resolved == s.resolved);
  CHECK(again.name == "float");
  CHECK(again.seed == 7u);
  CHECK(again.data.weights == std::vector<double>{0.1, 1e-7, 2.5e300});
  CHECK(again.data.bias == 1 / 3.0);
  CHECK(again.network.drop == 1 / 3.0);
  CHECK(again.model.l2 == 1e-7);
  CHECK(again.training.learning_rate == 0.1);
}

TEST_CASE("load_scenario names the scenario after the file and reports a missing file") {
  auto folder = temp_folder("load");
  write_file(folder / "my-run.toml", "[cluster]\nworkers = 2\n");
  auto s = load_scenario((folder / "my-run.toml").string(), {"cluster.workers=3"});
  CHECK(s.name == "my-run");
  CHECK(s.file == (folder / "my-run.toml").string());
  CHECK(s.cluster.workers == 3u);
  auto missing = (folder / "absent.toml").string();
  try {
    load_scenario(missing);
    FAIL("no error");
  } catch (const scenario_error& e) {
    CHECK(e.file == missing);
    CHECK(e.line == 0);
    CHECK(std::string(e.what()) == "cannot open scenario file");
  }
}

} // TEST_SUITE
