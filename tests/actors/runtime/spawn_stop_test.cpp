// A stop while the actors spawn (actors/cluster/cluster.cpp): what was spawned ends,
// the recorder alone is left to write the summary, and nothing more is spawned.
#include "actors/cluster/cluster.hpp"
#include "actors/runtime/run_control.hpp"
#include "tests/support/run_files.hpp"

#include <doctest/doctest.h>

using namespace psim;

namespace {

const std::string four_workers = "[data]\nsamples = 200\nfeatures = 3\n"
                                 "[cluster]\nworkers = 4\n";

} // namespace

TEST_SUITE("actors.spawn_stop") {

TEST_CASE("a stop that came before the spawning spawns nothing but the recorder") {
  auto scn = sim::parse_scenario(four_workers, "test.toml");
  caf::actor_system_config cfg;
  actors::register_types(cfg);
  caf::actor_system sys{cfg};
  auto control = actors::make_run_control(scn);
  control->request_stop(sim::stop_reason::interrupted);
  auto before = sys.registry().running();
  auto c = actors::spawn_cluster(sys, scn, control, test::temp_folder("spawn-stop"));
  CHECK(c.stopped_while_spawning);
  CHECK(c.workers.empty());
  CHECK(c.servers.empty());
  CHECK(c.links.empty());
  CHECK(!c.injector);
  CHECK(sys.registry().running() == before + 1); // the recorder
  c.kill(); // all of it: were the check above to fail, the test still ends
}

TEST_CASE("a stop after the third actor ends those three and keeps the recorder") {
  auto scn = sim::parse_scenario(four_workers, "test.toml");
  caf::actor_system_config cfg;
  actors::register_types(cfg);
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  auto recorder = sys.spawn([] { return caf::behavior{[](caf::ok_atom) {}}; });
  std::vector<caf::actor> placed;
  auto place = [&](const std::string&, const std::string&, actors::actor_config) {
    if (placed.size() == 3) // the server, worker-0 and its uplink
      throw actors::spawn_stopped{};
    placed.push_back(sys.spawn([] { return caf::behavior{[](caf::ok_atom) {}}; }));
    self->monitor(placed.back());
    return placed.back();
  };
  auto c = actors::wire_cluster(sys, scn, recorder, place);
  CHECK(c.stopped_while_spawning);
  CHECK(c.recorder == recorder);
  CHECK(c.workers.empty());
  std::size_t killed = 0;
  for (std::size_t i = 0; i < placed.size(); ++i)
    self->receive(
      [&](const caf::down_msg& msg) {
        if (msg.reason == caf::exit_reason::kill)
          ++killed;
      },
      // Reached only when wire_cluster left one alive: the check fails instead of hanging.
      caf::after(std::chrono::seconds(10)) >> [] {});
  CHECK(killed == 3);
  for (const auto& a : placed) // what wire_cluster left alive, if anything, so the test ends
    self->send_exit(a, caf::exit_reason::kill);
  self->send_exit(recorder, caf::exit_reason::kill);
}

}
