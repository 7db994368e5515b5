// Tests of sim/scenario/availability_keys.cpp and sim/cluster/availability.cpp: the
// [availability] patterns and trace, cluster.participants, training.local_steps in every
// mode and training.server_learning_rate, with their defaults and mistakes.
#include "sim/scenario/scenario.hpp"
#include "tests/support/temp_files.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;

namespace {

scenario_error error_of(const std::string& text) {
  try {
    parse_scenario(text, "s.toml");
  } catch (const scenario_error& error) {
    return error;
  }
  FAIL("no scenario_error for: " << text);
  return {"", 0, 0, "", ""};
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_SUITE("sim.scenario_availability") {

TEST_CASE("local_steps defaults to 8 in local_sgd and 1 elsewhere; server rate to 1") {
  CHECK(parse_scenario("[training]\nmode = \"local_sgd\"\n", "s.toml").training.local_steps == 8);
  auto async = parse_scenario("[training]\nmode = \"async\"\n", "s.toml");
  CHECK(async.training.local_steps == 1);
  CHECK(async.training.server_learning_rate == 1);
  CHECK(contains(async.resolved, "local_steps = 1"));
  CHECK(contains(async.resolved, "server_learning_rate = 1"));
  auto fedbuff = parse_scenario(
    "[training]\nmode = \"kasync\"\nk = 2\nlocal_steps = 16\nserver_learning_rate = 0.5\n", "s.toml");
  CHECK(fedbuff.training.local_steps == 16);
  CHECK(fedbuff.training.server_learning_rate == 0.5);
}

TEST_CASE("local_update with local steps is an error; allreduce ignores local steps") {
  auto e = error_of("[training]\nmode = \"async\"\nlocal_steps = 4\nlocal_update = true\n");
  CHECK(e.key == "training.local_update");
  CHECK(parse_scenario("[training]\nmode = \"allreduce\"\nlocal_steps = 2\n", "s.toml")
          .training.local_steps == 2);
}

TEST_CASE("participants defaults to every worker; participation is a share of them") {
  auto all = parse_scenario("[cluster]\nworkers = 10\n", "s.toml");
  CHECK(all.cluster.participants == 0);
  CHECK(!contains(all.resolved, "participants"));
  CHECK(parse_scenario("[cluster]\nworkers = 10\nparticipants = 3\n", "s.toml").cluster.participants
        == 3);
  auto share = parse_scenario("[cluster]\nworkers = 100\nparticipation = 0.1\n", "s.toml");
  CHECK(share.cluster.participants == 10);
  auto tiny = parse_scenario("[cluster]\nworkers = 10\nparticipation = 0.01\n", "s.toml");
  CHECK(tiny.cluster.participants == 1);
}

TEST_CASE("sampling outside the round modes, and both keys at once, are errors") {
  auto e = error_of("[training]\nmode = \"async\"\n[cluster]\nworkers = 4\nparticipants = 2\n");
  CHECK(e.key == "cluster.participants");
  CHECK(contains(e.what(), "sync, ksync, local_sgd"));
  CHECK(error_of("[cluster]\nworkers = 4\nparticipants = 5\n").key == "cluster.participants");
  CHECK(error_of("[cluster]\nworkers = 4\nparticipants = 2\nparticipation = 0.5\n").key
        == "cluster.participation");
}

TEST_CASE("an availability pattern gives up and down durations to the workers it names") {
  auto s = parse_scenario("[cluster]\nworkers = 4\n[availability]\n"
                          "up = { dist = \"exponential\", mean = \"30s\" }\ndown = \"5s\"\n"
                          "[[availability.pattern]]\ntarget = \"worker-3\"\nup = \"1s\"\n"
                          "down = \"2s\"\n",
                          "s.toml");
  REQUIRE(s.availability.patterns.size() == 2);
  CHECK(s.availability.any());
  CHECK(s.availability.patterns[0].target == "worker-*");
  CHECK(s.availability.patterns[0].up.kind == dist_kind::exponential);
  CHECK(pattern_of(s.availability, 0) == &s.availability.patterns[0]);
  CHECK(pattern_of(s.availability, 3) == &s.availability.patterns[1]);
  CHECK(!parse_scenario("", "s.toml").availability.any());
}

TEST_CASE("availability mistakes name their key") {
  CHECK(error_of("[availability]\nup = \"1s\"\n").key == "availability.down");
  CHECK(error_of("[availability]\n").key == "availability.up");
  CHECK(error_of("[availability]\nup = \"1s\"\ndown = \"1s\"\ntarget = \"server-0\"\n").key
        == "availability.target");
  CHECK(error_of("[training]\nmode = \"allreduce\"\n[availability]\nup = \"1s\"\ndown = \"1s\"\n")
          .key == "availability");
}

TEST_CASE("a trace gives each worker's changes, in time order") {
  psim::test::temp_dir dir;
  auto path = dir.write("churn.csv", "worker,time,state\n1,2s,offline\nworker-0,0.5,offline\n"
                                     "# back\n1,3s,online\n");
  auto s = parse_scenario("[cluster]\nworkers = 2\n[availability]\ntrace = \"" + path + "\"\n",
                          "s.toml");
  REQUIRE(s.availability.changes.size() == 3);
  CHECK(s.availability.changes[0].worker == 0);
  CHECK(s.availability.changes[0].at == 0.5);
  CHECK(!s.availability.changes[0].online);
  CHECK(s.availability.changes[2].online);
  CHECK(s.availability.changes[2].at == 3);
}

TEST_CASE("a malformed trace is an error at its file and line") {
  psim::test::temp_dir dir;
  auto path = dir.write("bad.csv", "0,1s,offline\n\n7,2s,online\n");
  try {
    parse_scenario("[cluster]\nworkers = 2\n[availability]\ntrace = \"" + path + "\"\n", "s.toml");
    FAIL("no error");
  } catch (const scenario_error& e) {
    CHECK(e.file == path);
    CHECK(e.line == 3);
    CHECK(e.key == "availability.trace");
    CHECK(contains(e.what(), "worker \"7\""));
  }
  auto state = dir.write("state.csv", "0,1s,away\n");
  auto e = error_of("[cluster]\nworkers = 2\n[availability]\ntrace = \"" + state + "\"\n");
  CHECK(e.line == 1);
  CHECK(contains(e.what(), "allowed: online, offline"));
}

}
