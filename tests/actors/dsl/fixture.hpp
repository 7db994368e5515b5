// Shared set-up for the message-level actor tests: CAF's test coordinator with psim's
// message types registered, and a scenario parsed from TOML text.
#pragma once

#include "actors/messages.hpp"
#include "actors/runtime/clock.hpp"
#include "sim/scenario/scenario.hpp"

#include <caf/test/dsl.hpp>

#include <string>

namespace psim::test {

/// The actor system config of every psim actor test: psim's types registered.
struct actor_test_config : caf::actor_system_config {
  actor_test_config() { actors::register_types(*this); }
};

/// CAF's deterministic test coordinator plus helpers to read virtual time.
struct actor_fixture : test_coordinator_fixture<actor_test_config> {
  caf::actor_clock::time_point t0 = sched.clock().now(); ///< time 0 of the test

  /// Seconds of virtual time since the fixture was made.
  double now_s() { return actors::seconds_between(t0, sched.clock().now()); }

  /// Advances the virtual clock by `seconds` and runs what became due.
  void advance_s(double seconds) {
    sched.clock().advance_time(actors::to_timespan(seconds));
    sched.run();
  }

  /// The resolved scenario text of `toml`.
  static std::string resolved(const std::string& toml) {
    return sim::parse_scenario(toml, "actor-test.toml").resolved;
  }
};

} // namespace psim::test
