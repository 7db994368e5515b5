// Tests of sim/cluster/faults.cpp and fault_kinds/: each fault kind turns into the right
// effect, window and targets, and a name that names no actor is a scenario error.
#include "sim/cluster/faults.hpp"

#include "sim/scenario/scenario.hpp"

#include <doctest/doctest.h>

using namespace psim::sim;

namespace {

const actor_id w0 = actor_id::worker(0), w1 = actor_id::worker(1), w2 = actor_id::worker(2);
const actor_id s0 = actor_id::server(0), s1 = actor_id::server(1);

// Every actor and link of a run with 3 workers and 2 server shards.
std::vector<target_id> run_targets() {
  std::vector<target_id> all{s0, s1};
  for (auto w : {w0, w1, w2}) {
    all.push_back(w);
    for (auto s : {s0, s1}) {
      all.push_back(link_id{w, s});
      all.push_back(link_id{s, w});
    }
  }
  return all;
}

// The one fault of a scenario with 3 workers, 2 servers and `entry` as its [[faults]].
fault fault_of(const std::string& entry) {
  auto scn = parse_scenario("[cluster]\nworkers = 3\nservers = 2\n[[faults]]\n" + entry,
                            "f.toml");
  REQUIRE(scn.faults.size() == 1);
  return scn.faults.front();
}

// The names of the targets among run_targets() that `f` touches.
std::vector<std::string> targets_of(const fault& f) {
  std::vector<std::string> names;
  for (const auto& t : run_targets())
    if (touches(f, t))
      names.push_back(to_string(t));
  return names;
}

// The scenario error of a scenario with 3 workers and 2 servers, then `tail`.
scenario_error error_of(const std::string& tail) {
  try {
    parse_scenario("[cluster]\nworkers = 3\nservers = 2\n" + tail, "f.toml");
  } catch (const scenario_error& e) {
    return e;
  }
  FAIL("no scenario_error for: " << tail);
  return {"", 0, 0, "", ""};
}

using names = std::vector<std::string>;

} // namespace

TEST_SUITE("sim.cluster.faults") {

TEST_CASE("a crash takes a worker down until it restarts, or for good") {
  auto f = fault_of("at = \"2s\"\nkind = \"crash\"\ntarget = \"worker-1\"\n"
                    "restart_after = \"500ms\"\n");
  auto e = effect_of(f);
  CHECK(e.what.kind == effect_kind::worker_down);
  CHECK(e.begin == 2.0);
  REQUIRE(e.end);
  CHECK(*e.end == 2.5);
  CHECK(targets_of(f) == names{"worker-1"});
  auto forever = fault_of("at = \"2s\"\nkind = \"crash\"\ntarget = \"*\"\n");
  CHECK(!effect_of(forever).end);
  // A pattern that also names servers still crashes workers only.
  CHECK(targets_of(forever) == names{"worker-0", "worker-1", "worker-2"});
}

TEST_CASE("a server crash takes a shard down and back at once without restart_after") {
  auto f = fault_of("at = \"1s\"\nkind = \"server_crash\"\ntarget = \"server-1\"\n");
  auto e = effect_of(f);
  CHECK(e.what.kind == effect_kind::server_down);
  CHECK(e.begin == 1.0);
  REQUIRE(e.end);
  CHECK(*e.end == 1.0);
  CHECK(targets_of(f) == names{"server-1"});
  auto later = fault_of("at = \"1s\"\nkind = \"server_crash\"\nrestart_after = \"0.25s\"\n");
  CHECK(*effect_of(later).end == 1.25);
  CHECK(targets_of(later) == names{"server-0"});
}

TEST_CASE("a slowdown multiplies a worker's compute times for its duration") {
  auto f = fault_of("at = \"30ms\"\nkind = \"slowdown\"\ntarget = \"worker-*\"\n"
                    "factor = 3.5\nduration = \"100ms\"\n");
  auto e = effect_of(f);
  CHECK(e.what.kind == effect_kind::worker_slowed);
  CHECK(e.what.factor == 3.5);
  CHECK(e.begin == 0.03);
  CHECK(*e.end == 0.03 + 0.1);
  CHECK(targets_of(f) == names{"worker-0", "worker-1", "worker-2"});
}

TEST_CASE("a partition cuts exactly the links that cross the group's border") {
  auto f = fault_of("at = \"40ms\"\nkind = \"partition\"\ngroup = [\"worker-0\", "
                    "\"server-1\"]\nduration = \"80ms\"\n");
  auto e = effect_of(f);
  CHECK(e.what.kind == effect_kind::link_cut);
  CHECK(*e.end == 0.04 + 0.08);
  CHECK(targets_of(f) == names{"worker-0->server-0", "server-0->worker-0",
                               "worker-1->server-1", "server-1->worker-1",
                               "worker-2->server-1", "server-1->worker-2"});
}

TEST_CASE("a drop window raises the loss of the links it names") {
  auto f = fault_of("at = \"1s\"\nkind = \"drop\"\nfrom = \"worker-*\"\nto = \"server-0\"\n"
                    "probability = 0.25\nduration = \"2s\"\n");
  auto e = effect_of(f);
  CHECK(e.what.kind == effect_kind::link_loss);
  CHECK(e.what.probability == 0.25);
  CHECK(*e.end == 3.0);
  CHECK(targets_of(f) == names{"worker-0->server-0", "worker-1->server-0",
                               "worker-2->server-0"});
}

TEST_CASE("a latency window replaces the latency of the links it names") {
  auto f = fault_of("at = \"1s\"\nkind = \"latency\"\nfrom = \"server-1\"\n"
                    "latency = \"7ms\"\nduration = \"2s\"\n");
  auto e = effect_of(f);
  CHECK(e.what.kind == effect_kind::link_latency);
  CHECK(e.what.latency.kind == dist_kind::constant);
  CHECK(e.what.latency.a == 0.007);
  CHECK(*e.end == 3.0);
  CHECK(targets_of(f) == names{"server-1->worker-0", "server-1->worker-1",
                               "server-1->worker-2"});
}

TEST_CASE("the table lists every kind once, by the name scenario files use") {
  names listed;
  for (const auto& rule : fault_kind_rules()) {
    listed.emplace_back(rule.name);
    CHECK(to_string(rule.kind) == rule.name);
    CHECK(&rule_of(rule.kind) == &rule);
  }
  CHECK(listed == names{"crash", "slowdown", "partition", "drop", "latency", "server_crash"});
}

TEST_CASE("a fault or link pattern that names no actor is an error where it stands") {
  auto drop = error_of("[[faults]]\nkind = \"drop\"\nfrom = \"worker-7\"\n");
  CHECK(drop.key == "faults[0].from");
  CHECK(drop.line == 6);
  CHECK(drop.column == 8);
  CHECK(std::string{drop.what()}.find("\"worker-7\", which names no actor of this run; "
                                      "allowed: worker-0 .. worker-2, server-0 .. server-1")
        != std::string::npos);
  auto latency = error_of("[[faults]]\nkind = \"latency\"\nto = \"sever-*\"\n");
  CHECK(latency.key == "faults[0].to");
  auto group = error_of("[[faults]]\nkind = \"partition\"\ngroup = [\"worker-0\", \"x\"]\n");
  CHECK(group.key == "faults[0].group");
  CHECK(group.line == 6);
  auto link = error_of("[[network.link]]\nfrom = \"worker-3\"\ndrop = 0.5\n");
  CHECK(link.key == "network.link[0].from");
  CHECK(link.line == 5);
  auto between = error_of("[[network.link]]\nbetween = [\"server-0\", \"server-2\"]\n");
  CHECK(between.key == "network.link[0].between");
}

TEST_CASE("patterns that name some actor are accepted") {
  auto scn = parse_scenario("[cluster]\nworkers = 3\n[[network.link]]\nfrom = \"worker-*\"\n"
                            "to = \"server-0\"\ndrop = 0.5\n[[faults]]\nkind = \"drop\"\n"
                            "to = \"*-0\"\n",
                            "ok.toml");
  CHECK(scn.network.links.size() == 1);
  CHECK(scn.faults.front().to == "*-0");
}

}
