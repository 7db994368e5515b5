// The virtual clock's event_queue: messages leave in (due, sent) order, the order CAF's
// std::multimap clock gave them, and send_later uses the queue only under the virtual clock.
#include "actors/runtime/event_queue.hpp"
#include "actors/runtime/send_later.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <map>
#include <random>
#include <vector>

using namespace psim::actors;
using namespace std::chrono_literals;

namespace {

using time_point = caf::actor_clock::time_point;

caf::mailbox_element_ptr tagged(std::uint64_t tag) {
  return caf::make_mailbox_element(nullptr, caf::make_message_id(), {}, tag);
}

std::uint64_t tag_of(const event_queue::entry& e) {
  return e.element->content().get_as<std::uint64_t>(0);
}

using reference_order = std::multimap<time_point, std::uint64_t>; // CAF's clock's order

// Takes the queue's earliest message and checks it against the reference's earliest.
event_queue::entry pop_in_order(event_queue& queue, reference_order& reference) {
  auto first = reference.begin();
  auto e = queue.pop();
  REQUIRE(e.due == first->first);
  REQUIRE(tag_of(e) == first->second);
  reference.erase(first);
  return e;
}

// Takes every message left, each in the reference's order.
void drain_in_order(event_queue& queue, reference_order& reference) {
  while (!reference.empty())
    pop_in_order(queue, reference);
  CHECK(queue.empty());
}

// Collects the tags it receives, in arrival order.
caf::behavior collector(caf::event_based_actor*, std::vector<std::uint64_t>* seen) {
  return {[=](std::uint64_t tag) { seen->push_back(tag); }};
}

} // namespace

TEST_SUITE("actors.runtime.event_queue") {

TEST_CASE("random pushes and pops leave in the order of a std::multimap keyed by due time") {
  // Few distinct due times, so that most messages tie with others.
  std::mt19937_64 rng{15};
  for (int round = 0; round < 50; ++round) {
    event_queue queue;
    reference_order reference; // ties in insertion order
    std::uint64_t next_tag = 0;
    auto base = time_point{caf::timespan{1}};
    for (int step = 0; step < 2000; ++step) {
      if (reference.empty() || rng() % 3 != 0) {
        auto due = base + caf::timespan{static_cast<std::int64_t>(rng() % 16)};
        queue.push(due, nullptr, tagged(next_tag));
        reference.emplace(due, next_tag++);
      } else {
        REQUIRE(queue.next_due() == reference.begin()->first);
        base = pop_in_order(queue, reference).due; // time only moves forward, as under the driver
      }
      REQUIRE(queue.size() == reference.size());
    }
    drain_in_order(queue, reference);
  }
}

TEST_CASE("messages sent with a delay leave in std::multimap order, lanes and heap alike") {
  // Mostly a few delays that repeat (the lanes), some others (the heap), and now and then
  // one due before the last taken (a lane takes it only after its last): every mix of
  // lanes and heap must leave in (due, sent) order.
  std::mt19937_64 rng{16};
  const std::int64_t repeated[] = {0, 3, 5, 7, 11, 13};
  for (int round = 0; round < 50; ++round) {
    event_queue queue;
    reference_order reference;
    std::uint64_t next_tag = 0;
    auto now = time_point{caf::timespan{1'000}};
    for (int step = 0; step < 2000; ++step) {
      auto choice = rng() % 8;
      if (reference.empty() || choice < 4) {
        auto delay = choice < 3 ? repeated[rng() % std::size(repeated)]
                                : static_cast<std::int64_t>(rng() % 40);
        auto due = now + caf::timespan{delay};
        if (rng() % 50 == 0)
          due -= caf::timespan{static_cast<std::int64_t>(rng() % 20)};
        queue.push(due, caf::timespan{delay}, nullptr, tagged(next_tag));
        reference.emplace(due, next_tag++);
      } else if (choice == 4) {
        REQUIRE(queue.next_due() == reference.begin()->first);
      } else {
        now = std::max(now, pop_in_order(queue, reference).due);
      }
      REQUIRE(queue.size() == reference.size());
    }
    drain_in_order(queue, reference);
  }
}

TEST_CASE("ship_due delivers what is due, ties in sending order, and keeps the rest") {
  // With warm_receivers, as at 1,000 workers and more: the same deliveries.
  for (std::size_t warm : {std::size_t{0}, std::size_t{2048}}) {
    CAPTURE(warm);
    caf::actor_system_config cfg;
    cfg.set("scheduler.policy", caf::atom("testing"));
    caf::actor_system sys{cfg};
    auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
    std::vector<std::uint64_t> seen;
    auto receiver = caf::actor_cast<caf::strong_actor_ptr>(sys.spawn(collector, &seen));
    event_queue queue;
    queue.warm_receivers(warm);
    auto t0 = time_point{caf::timespan{1}};
    queue.push(t0 + 3ms, receiver, tagged(1));
    queue.push(t0 + 1ms, receiver, tagged(2));
    queue.push(t0 + 3ms, receiver, tagged(3));
    queue.push(t0 + 1ms, receiver, tagged(4));
    queue.push(t0 + 5ms, receiver, tagged(5));
    queue.push(t0 + 2ms, caf::timespan{2ms}, receiver, tagged(6)); // a lane's
    CHECK(queue.ship_due(t0) == 0);
    CHECK(queue.ship_due(t0 + 3ms) == 5);
    sched.run();
    CHECK(seen == std::vector<std::uint64_t>{2, 4, 6, 1, 3});
    REQUIRE(queue.size() == 1);
    CHECK(queue.next_due() == t0 + 5ms);
    queue.clear(); // dropped undelivered, while the system still runs
    caf::anon_send_exit(receiver, caf::exit_reason::kill);
    sched.run();
    CHECK(seen.size() == 5);
  }
}

TEST_CASE("send_later goes to the event_queue under the virtual clock, to CAF's clock otherwise") {
  for (bool virtual_clock : {true, false}) {
    CAPTURE(virtual_clock);
    clock_config cfg;
    cfg.set("scheduler.policy", caf::atom("testing"));
    caf::actor_system sys{cfg};
    event_queue queue;
    if (virtual_clock)
      cfg.queue = &queue;
    auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
    std::vector<std::uint64_t> seen;
    auto receiver = sys.spawn(collector, &seen);
    sys.spawn([=](caf::event_based_actor* self) {
      send_later(self, receiver, caf::timespan{2ms}, std::uint64_t{7});
    });
    sched.run();
    CHECK(queue.size() == (virtual_clock ? 1u : 0u));
    CHECK(sched.clock().schedule().size() == (virtual_clock ? 0u : 1u));
    auto due = sched.clock().now() + 2ms;
    if (virtual_clock)
      CHECK(queue.next_due() == due);
    sched.clock().advance_time(2ms);
    queue.ship_due(sched.clock().now());
    sched.run();
    CHECK(seen == std::vector<std::uint64_t>{7});
    caf::anon_send_exit(receiver, caf::exit_reason::kill);
    sched.run();
  }
}

} // TEST_SUITE
