// Tests of the error collection of sim/scenario (reader.cpp, messages.cpp, scenario.cpp):
// every mistake of a file and of its --set arguments in one pass, in file order, and
// relative data paths taken from the scenario file's folder.
#include "sim/scenario/scenario_errors.hpp"
#include "tests/support/temp_files.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace psim::sim;

namespace {

/// The errors parsing `text` (as "s.toml") gives; fails the test when there are none.
std::vector<scenario_error> errors_of(const std::string& text,
                                      const std::vector<std::string>& overrides = {}) {
  try {
    parse_scenario(text, "s.toml", overrides);
  } catch (const scenario_errors& all) {
    return all.errors;
  }
  FAIL("no scenario_errors for: " << text);
  return {};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// "FILE:LINE:COL: key" of `e`.
std::string where(const scenario_error& e) {
  return e.file + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.key;
}

} // namespace

TEST_SUITE("sim.scenario_errors") {

TEST_CASE("three typos in three tables are three errors, in file order") {
  auto errors = errors_of("[training]\nmode = \"asynch\"\n"
                          "[cluster]\nworkers = \"four\"\n"
                          "[network]\nlatncy = \"1ms\"\n");
  REQUIRE(errors.size() == 3);
  CHECK(where(errors[0]) == "s.toml:2:8: training.mode");
  CHECK(errors[0].what() == std::string("found \"asynch\"; allowed: sync | async | ssp | ksync |"
                                        " kasync | local_sgd | allreduce (did you mean "
                                        "\"async\"?)"));
  CHECK(where(errors[1]) == "s.toml:4:11: cluster.workers");
  CHECK(where(errors[2]) == "s.toml:6:1: network.latncy");
}

TEST_CASE("errors read in another order than the file's are sorted by line") {
  // [run] is read before [data], [model] and [training]; the file lists them the other way.
  auto errors = errors_of("[training]\nlearning_rate = -1\n[run]\neval_every = 0\n");
  REQUIRE(errors.size() == 2);
  CHECK(where(errors[0]) == "s.toml:2:17: training.learning_rate");
  CHECK(where(errors[1]) == "s.toml:4:14: run.eval_every");
}

TEST_CASE("a table whose value is not a table still lets the other tables be read") {
  auto errors = errors_of("run = 3\n[training]\nmomentum = 2\n");
  REQUIRE(errors.size() == 2);
  CHECK(where(errors[0]) == "s.toml:1:7: run");
  CHECK(where(errors[1]) == "s.toml:3:12: training.momentum");
}

TEST_CASE("every unknown key of one table is reported") {
  auto errors = errors_of("[cluster]\nwrkers = 2\nservrs = 1\n");
  REQUIRE(errors.size() == 2);
  CHECK(where(errors[0]) == "s.toml:2:1: cluster.wrkers");
  CHECK(where(errors[1]) == "s.toml:3:1: cluster.servrs");
}

TEST_CASE("a value that is wrong is not reported again as missing or as a failed check") {
  // dist = 3 is one mistake, not also "missing dist"; stop.updates = 0 is not also an
  // empty [run.stop].
  auto errors = errors_of("compute.time = { dist = 3, mean = \"1ms\" }\n"
                          "run.stop = { updates = 0 }\n");
  REQUIRE(errors.size() == 2);
  CHECK(where(errors[0]) == "s.toml:1:25: compute.time.dist");
  CHECK(where(errors[1]) == "s.toml:2:24: run.stop.updates");
}

TEST_CASE("--set errors stand at --set:N:COL, after the file's") {
  auto errors = errors_of("seed = -1\n", {"cluster.workers=2", "training.lerning_rate=0.1",
                                          "cluster.servers=x y"});
  REQUIRE(errors.size() == 3);
  CHECK(where(errors[0]) == "s.toml:1:8: seed");
  CHECK(where(errors[1]) == "--set:2:10: training.lerning_rate");
  CHECK(contains(errors[1].what(), "did you mean \"learning_rate\""));
  CHECK(errors[2].file == "--set");
  CHECK(errors[2].line == 3);
  CHECK(errors[2].key == "cluster.servers");
}

TEST_CASE("a --set key under a table that does not exist is blamed on that --set") {
  auto errors = errors_of("", {"seed=1", "trainig.mode=async"});
  REQUIRE(errors.size() == 1);
  CHECK(where(errors[0]) == "--set:2:1: trainig");
  CHECK(contains(errors[0].what(), "did you mean \"training\""));
}

TEST_CASE("at most twenty errors are reported") {
  std::string text = "[cluster]\n";
  for (int i = 0; i < 30; ++i)
    text += "key" + std::to_string(i) + " = 1\n";
  auto errors = errors_of(text);
  CHECK(errors.size() == max_scenario_errors);
}

TEST_CASE("as a scenario_error, the list is its first error") {
  try {
    parse_scenario("[cluster]\nworkers = 0\nservers = 0\n", "s.toml");
    FAIL("no error");
  } catch (const scenario_error& first) {
    CHECK(where(first) == "s.toml:2:11: cluster.workers");
    CHECK(contains(first.what(), "found 0"));
  }
}

TEST_CASE("a relative data path is taken from the scenario's folder and written back absolute") {
  psim::test::temp_dir dir;
  std::filesystem::create_directories(dir.path / "sub");
  dir.write("sub/d.csv", "x,y\n1,2\n2,4\n3,6\n4,8\n5,10\n");
  auto file = dir.write("sub/s.toml", "[data]\nsource = \"csv\"\npath = \"d.csv\"\n"
                                      "target = \"y\"\n[cluster]\nworkers = 1\n");
  auto s = load_scenario(file);
  auto expected = (dir.path / "sub/d.csv").lexically_normal().generic_string();
  CHECK(s.data.path == expected);
  CHECK(contains(s.resolved, "path = \"" + expected + "\""));
  // From --set, a relative path is the user's: taken from the current directory.
  auto set = load_scenario(file, {"data.path=\"other.csv\""});
  CHECK(set.data.path == (std::filesystem::current_path() / "other.csv").generic_string());
}

}
