// The network link alone under the virtual clock: FIFO serialization at the link's
// bandwidth, then latency; loss and duplication counted.
#include "actors/runtime/clock.hpp"
#include "actors/messages.hpp"
#include "actors/link/network_link.hpp"
#include "sim/scenario/scenario.hpp"

#include <caf/scheduler/test_coordinator.hpp>
#include <doctest/doctest.h>

#include <memory>
#include <vector>

using namespace psim;
using namespace psim::actors;

namespace {

// Drives the testing scheduler until nothing is left to happen.
void run_to_end(caf::scheduler::test_coordinator& sched) {
  sched.run();
  while (sched.has_pending_timeout()) {
    auto& clock = sched.clock();
    clock.advance_time(clock.schedule().begin()->first - clock.now());
    sched.run();
  }
}

struct link_fixture {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  std::shared_ptr<std::vector<double>> arrivals = std::make_shared<std::vector<double>>();
  caf::actor link;
  caf::actor_clock::time_point start;

  explicit link_fixture(const std::string& network) {
    register_types(cfg);
    cfg.set("scheduler.policy", caf::atom("testing"));
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    auto scn = sim::parse_scenario("[network]\n" + network, "link.toml");
    start = sched->clock().now();
    auto times = arrivals;
    auto t0 = start;
    auto probe = sys->spawn([times, t0](caf::event_based_actor* self) -> caf::behavior {
      return {[=](const params_msg&) {
        times->push_back(seconds_between(t0, self->clock().now()));
      }};
    });
    link = sys->spawn(network_link, actor_config{0, "server-0", "worker-0", scn.resolved});
    caf::anon_send(link, wiring{{probe}, {}});
    sched->run();
  }

  ~link_fixture() {
    caf::anon_send_exit(link, caf::exit_reason::kill);
    sched->run();
  }

  // Puts `count` messages of `doubles` doubles on the link at the current instant.
  void send(int count, std::size_t doubles) {
    for (int i = 0; i < count; ++i)
      caf::anon_send(link, params_msg{0, 0, 0, std::vector<double>(doubles, 1.0)});
  }

  link_report report() {
    auto result = std::make_shared<link_report>();
    auto sink = sys->spawn([result](caf::event_based_actor*) -> caf::behavior {
      return {[=](const link_report& r) { *result = r; }};
    });
    caf::anon_send(link, stop_atom::value, sink);
    run_to_end(*sched);
    return *result;
  }
};

} // namespace

TEST_SUITE("actors.network_link") {

TEST_CASE("messages sent together leave one after the other and arrive a latency later") {
  link_fixture f{"latency = \"2ms\"\nbandwidth = \"1MB/s\"\n"};
  f.send(3, 2); // 64 + 16 = 80 bytes = 80 us each at 1 MB/s
  run_to_end(*f.sched);
  CHECK(*f.arrivals == std::vector<double>{0.00208, 0.00216, 0.00224});
  auto r = f.report();
  CHECK(r.sent == 3);
  CHECK(r.bytes == 240);
  CHECK(r.dropped == 0);
}

TEST_CASE("a message sent after the link is free again does not wait") {
  link_fixture f{"latency = \"1ms\"\nbandwidth = \"1MB/s\"\n"};
  f.send(1, 2);
  run_to_end(*f.sched);
  auto& clock = f.sched->clock();
  clock.advance_time(f.start + caf::timespan{10'000'000} - clock.now()); // now 10 ms
  f.send(1, 2);
  run_to_end(*f.sched);
  CHECK(*f.arrivals == std::vector<double>{0.00108, 0.01108});
}

TEST_CASE("a lossy link drops about the configured share of messages and counts them") {
  link_fixture f{"latency = \"1ms\"\ndrop = 0.25\n"};
  f.send(4000, 1);
  run_to_end(*f.sched);
  auto r = f.report();
  CHECK(r.sent == 4000);
  CHECK(r.dropped + f.arrivals->size() == 4000);
  // Binomial(4000, 0.25): mean 1000, sd 27.4; five sd either side.
  CHECK(r.dropped > 863);
  CHECK(r.dropped < 1137);
}

TEST_CASE("a duplicating link delivers the extra copies it counts") {
  link_fixture f{"latency = \"1ms\"\nduplicate = 0.5\n"};
  f.send(1000, 1);
  run_to_end(*f.sched);
  auto r = f.report();
  CHECK(f.arrivals->size() == 1000 + r.duplicated);
  CHECK(r.duplicated > 420);
  CHECK(r.duplicated < 580);
}

}
