// The real clock's timer: messages leave in (due, sent) order, an earlier message wakes
// the sleeping thread, a message due at once that nothing precedes goes straight to its
// receiver, and stopping drops what waits. The waits are blocking receives with a
// fail-safe timeout, never sleeps: every message here is due already or within 1 ms.
#include "actors/runtime/real_timer.hpp"
#include "actors/runtime/send_later.hpp"

#include <caf/all.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <random>
#include <thread>
#include <vector>

using namespace psim::actors;
using namespace std::chrono_literals;

namespace {

using time_point = real_timer::time_point;

caf::mailbox_element_ptr tagged(std::uint64_t tag) {
  return caf::make_mailbox_element(nullptr, caf::make_message_id(), {}, tag);
}

// The next tag `self` receives, or none (and a failed check) within the fail-safe.
std::uint64_t next_tag(caf::scoped_actor& self) {
  std::uint64_t tag = ~std::uint64_t{0};
  self->receive([&](std::uint64_t x) { tag = x; },
                caf::after(std::chrono::seconds(10)) >> [] { FAIL("no message within 10 s"); });
  return tag;
}

// True when `self`'s mailbox holds no message.
bool nothing_arrived(caf::scoped_actor& self) {
  return self->mailbox().empty();
}

caf::strong_actor_ptr address_of(caf::scoped_actor& self) {
  return caf::actor_cast<caf::strong_actor_ptr>(self);
}

// Returns once `timer`'s thread has gone to sleep until `until` (it does so at once),
// or fails after 10 s.
void wait_for_sleep(const real_timer& timer, time_point until) {
  auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (timer.sleeps_until() != until)
    if (std::chrono::steady_clock::now() < give_up)
      std::this_thread::yield();
    else
      FAIL("the timer's thread did not go to sleep until the expected time");
}

// A receiver and a timer, declared after its actor system: it stops before the system.
struct timer_fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  real_timer timer;
};

} // namespace

TEST_SUITE("actors.runtime.real_timer") {

TEST_CASE_FIXTURE(timer_fixture, "queued messages leave in (due, sent) order, the order of CAF's clock") {
  auto now = caf::actor_clock::clock_type::now();
  std::multimap<time_point, std::uint64_t> reference; // equal keys keep insertion order
  std::mt19937_64 rng{7};
  for (std::uint64_t tag = 0; tag < 200; ++tag) {
    // Due in the last 20 us, in a random order, many at the same instant; two delays.
    auto due = now - std::chrono::microseconds(rng() % 20);
    timer.push(due, tag % 2 == 0 ? 100us : 1ms, address_of(self), tagged(tag), nullptr);
    reference.emplace(due, tag);
  }
  CHECK(timer.size() == 200);
  CHECK(nothing_arrived(self)); // nothing leaves before the thread runs
  timer.start();
  for (const auto& [due, tag] : reference)
    REQUIRE(next_tag(self) == tag);
  CHECK(timer.size() == 0);
}

TEST_CASE_FIXTURE(timer_fixture, "a message due before the one the thread sleeps for wakes it") {
  timer.start();
  wait_for_sleep(timer, time_point::max()); // nothing queued: it waits for any message
  auto now = caf::actor_clock::clock_type::now();
  timer.push(now + 1h, 1h, address_of(self), tagged(1), nullptr);
  wait_for_sleep(timer, now + 1h); // woken, and asleep again until that one is due
  timer.push(now + 1ms, 1ms, address_of(self), tagged(2), nullptr);
  CHECK(next_tag(self) == 2);
  CHECK(timer.size() == 1); // the hour-long one still waits
  timer.stop();
  CHECK(timer.size() == 0);
  CHECK(nothing_arrived(self));
}

TEST_CASE_FIXTURE(timer_fixture, "a message due less than 50 us before the thread wakes does not wake it") {
  timer.start();
  auto due = caf::actor_clock::clock_type::now() + 10s;
  timer.push(due, 10s, address_of(self), tagged(1), nullptr);
  wait_for_sleep(timer, due);
  timer.push(due - 10us, 10s, address_of(self), tagged(2), nullptr);
  CHECK(timer.sleeps_until() == due); // not woken: a wake-up marks the thread awake
  CHECK(timer.size() == 2);           // both leave when it wakes (the fixture stops it first)
}

TEST_CASE_FIXTURE(timer_fixture, "a message due at once goes straight to its receiver unless one waits before it") {
  // The timer is not started: only the sender's own thread can deliver.
  auto now = caf::actor_clock::clock_type::now();
  timer.push(now, caf::timespan{0}, address_of(self), tagged(1), nullptr);
  CHECK(timer.size() == 0);
  CHECK(next_tag(self) == 1);
  // One is due before it: it queues behind that one, and both leave in order.
  timer.push(now - 1ms, 1ms, address_of(self), tagged(2), nullptr);
  timer.push(now, caf::timespan{0}, address_of(self), tagged(3), nullptr);
  CHECK(timer.size() == 2);
  CHECK(nothing_arrived(self));
  timer.start();
  CHECK(next_tag(self) == 2);
  CHECK(next_tag(self) == 3);
}

TEST_CASE_FIXTURE(timer_fixture, "after stop, a message sent is dropped, and its receiver released") {
  timer.start();
  timer.stop();
  auto receiver = address_of(self);
  auto references = receiver->strong_refs.load();
  timer.push(caf::actor_clock::clock_type::now(), caf::timespan{0}, receiver, tagged(1),
             nullptr);
  CHECK(receiver->strong_refs.load() == references);
  CHECK(timer.size() == 0);
  CHECK(nothing_arrived(self));
}

TEST_CASE("send_later goes to the real runtime's timer when its system has one") {
  for (bool with_timer : {true, false}) {
    CAPTURE(with_timer);
    real_timer timer;
    clock_config cfg;
    if (with_timer)
      cfg.timer = &timer;
    caf::actor_system sys{cfg};
    timer_thread shipping{timer};
    caf::scoped_actor self{sys};
    auto receiver = caf::actor_cast<caf::actor>(self);
    wait_for_sleep(timer, time_point::max());
    sys.spawn([=](caf::event_based_actor* sender) {
      send_later(sender, receiver, caf::timespan{1h}, std::uint64_t{7});
      send_later(sender, receiver, caf::timespan{1ms}, std::uint64_t{8});
    });
    CHECK(next_tag(self) == 8);
    CHECK(timer.size() == (with_timer ? 1u : 0u));
  }
}

} // TEST_SUITE
