// The real clock's deadline arithmetic: every deadline is computed from the previous
// intended time, so firings that are each late by the same amount never drift; a stamp
// from another node, whose clock this one cannot read, is not taken.
#include "actors/runtime/model_clock.hpp"

#include <caf/all.hpp>
#include <caf/forwarding_actor_proxy.hpp>
#include <doctest/doctest.h>

#include <chrono>

using namespace psim::actors;
using namespace std::chrono_literals;

namespace {

clock_point at(caf::timespan t) {
  return clock_point{t};
}

} // namespace

TEST_SUITE("actors.runtime.model_clock") {

TEST_CASE("a chain of timers each fired 125 us late keeps its deadlines on the model's grid") {
  model_clock clock;
  clock.follow_deadlines();
  const caf::timespan step = 1ms, late = 125us;
  auto start = at(1s);
  clock.enter(start, 0); // the start: untimed
  CHECK(clock.now == start);
  auto fired = start;
  for (int k = 1; k <= 1000; ++k) {
    auto deadline = clock.now + step;          // the next end, from the intended time
    auto wait = wait_until(deadline, fired);    // what the timer is armed with
    fired = fired + wait + late;                // the machine fires it late
    clock.enter(fired, stamp_of(deadline));
    REQUIRE(clock.now == start + k * step);     // model time: exact, no drift
    REQUIRE(fired == start + k * step + late);  // real time: late by the same amount
  }
  // A clock that measured from the handling moment would be 1000 x 125 us behind.
  auto q = clock.lag.quantiles();
  REQUIRE(q);
  CHECK(q->events == 1000);
  CHECK(q->max == 125e-6);
}

TEST_CASE("a deadline already passed is waited for zero; an unknown stamp means now") {
  CHECK(wait_until(at(5ms), at(7ms)) == caf::timespan{0});
  CHECK(wait_until(at(9ms), at(7ms)) == 2ms);
  CHECK(model_time(true, at(7ms), 0) == at(7ms));
  CHECK(model_time(true, at(7ms), stamp_of(at(5ms))) == at(5ms));
  CHECK(model_time(false, at(7ms), stamp_of(at(5ms))) == at(7ms)); // virtual clock
}

TEST_CASE("the virtual clock measures no lag and holds no buckets") {
  model_clock clock;
  clock.enter(at(7ms), stamp_of(at(5ms)));
  CHECK(clock.now == at(7ms));
  CHECK(clock.lag.values().empty());
}

TEST_CASE("a real-clock event leaves CAF's logger; a virtual-clock one does not touch it") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg}; // attaches its logger to this thread, as a spawn does
  REQUIRE(caf::logger::current_logger() != nullptr);
  model_clock virtual_clock;
  virtual_clock.enter(at(1s), 0);
  CHECK(caf::logger::current_logger() != nullptr);
  model_clock real_clock;
  real_clock.follow_deadlines();
  real_clock.enter(at(1s), 0);
  CHECK(caf::logger::current_logger() == nullptr);
  // A spawn attaches it again, and the next timed event leaves it again.
  auto idle = sys.spawn([] { return caf::behavior{[](int) {}}; });
  CHECK(caf::logger::current_logger() != nullptr);
  real_clock.enter(at(2s), stamp_of(at(2s)));
  CHECK(caf::logger::current_logger() == nullptr);
  caf::anon_send_exit(idle, caf::exit_reason::kill);
}

TEST_CASE("a stamp is read from a sender on this node, not from one on another node") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  // Answers each stamp with what local_stamp makes of it, to `self`.
  auto reader = sys.spawn([&](caf::event_based_actor* a) -> caf::behavior {
    return {[a, to = caf::actor{self}](std::int64_t at) { a->send(to, local_stamp(a, at)); }};
  });
  // A proxy of an actor on another node, as the middleman makes for a remote peer.
  auto other = caf::make_node_id(4242, "0102030405060708090a0b0c0d0e0f1011121314");
  REQUIRE(other);
  REQUIRE(*other != sys.node());
  caf::actor_config proxy_cfg;
  auto remote = caf::make_actor<caf::forwarding_actor_proxy, caf::strong_actor_ptr>(
    caf::actor_id{42}, *other, &sys, proxy_cfg, caf::actor{});
  auto read = [&] {
    std::int64_t got = -1;
    self->receive([&](std::int64_t x) { got = x; });
    return got;
  };
  self->send(reader, std::int64_t{123});
  CHECK(read() == 123);
  caf::actor_cast<caf::abstract_actor*>(reader)->enqueue(
    remote, caf::make_message_id(), caf::make_message(std::int64_t{123}), nullptr);
  CHECK(read() == 0);
  caf::anon_send_exit(reader, caf::exit_reason::kill);
}

} // TEST_SUITE
