// Shared set-up of the link tests: one network link from `from` to `to`, wired to deliver
// to the test's own actor.
#pragma once

#include "actors/link/network_link.hpp"
#include "tests/actors/dsl/fixture.hpp"

namespace psim::test {

/// A link for `toml` from `from` to `to` whose far end is the test's `self`.
struct link_fixture : actor_fixture {
  caf::actor link; ///< the link under test

  link_fixture(const char* from, const char* to, const std::string& toml)
    : link(sys.spawn(actors::network_link, actors::actor_config{0, from, to, resolved(toml)})) {
    self->send(link, actors::wiring{{self}, {}});
    sched.run();
  }
};

} // namespace psim::test
