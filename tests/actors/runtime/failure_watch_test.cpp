// The failure watch (actors/runtime/failure_watch.cpp) keeps no name per actor: an actor
// that fails without naming itself is named from its position in the watch list.
#include "actors/runtime/failure_watch.hpp"
#include "actors/runtime/run_end.hpp"

#include <doctest/doctest.h>

using namespace psim;

TEST_SUITE("actors.failure_watch") {

TEST_CASE("the watch list's positions name workers, servers, links, injector, recorder") {
  actors::cluster c;
  c.workers.resize(2);
  c.servers.resize(1);
  c.links.resize(4);
  auto name = actors::watch_names(c);
  CHECK(actors::watch_list(c).size() == 9);
  CHECK(name(0) == "worker-0");
  CHECK(name(1) == "worker-1");
  CHECK(name(2) == "server-0");
  CHECK(name(3) == "link 0");
  CHECK(name(6) == "link 3");
  CHECK(name(7) == "the fault injector");
  CHECK(name(8) == "the recorder");
}

TEST_CASE("an actor that fails without naming itself is named by its position") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto control = std::make_shared<actors::run_control>(sim::stop_config{}, 0);
  auto quiet = [] { return caf::behavior{[](caf::ok_atom) {}}; };
  auto failing = [](caf::event_based_actor* self) {
    return caf::behavior{[=](caf::ok_atom) { self->quit(caf::sec::runtime_error); }};
  };
  std::vector<caf::actor> watched{sys.spawn(quiet), sys.spawn(failing), sys.spawn(quiet)};
  auto watch = actors::spawn_failure_watch(sys, control, watched, [](std::size_t i) {
    return "actor " + std::to_string(i);
  });
  caf::anon_send(watched[1], caf::ok_atom::value);
  REQUIRE(control->wait_for_stop(std::chrono::seconds(30)));
  auto outcome = control->outcome();
  CHECK(outcome.stopped_by == sim::stop_reason::failed);
  CHECK(outcome.detail == "actor 1: ended with error code "
                            + std::to_string(static_cast<int>(caf::sec::runtime_error)));
  for (const auto& a : watched)
    caf::anon_send_exit(a, caf::exit_reason::kill);
  caf::anon_send_exit(watch, caf::exit_reason::kill);
}

}
