// The fault injector at message level: each fault's effect begins and ends at its exact
// virtual times, on exactly the actors and links it touches, and the report says so.
#define CAF_SUITE actors.fault_injector
#include "actors/faults/fault_injector.hpp"

#include "tests/actors/dsl/fixture.hpp"

#include <memory>
#include <string>
#include <vector>

using namespace psim;
using namespace psim::actors;

namespace {

// Two workers, one server; a slowdown, a drop window and a server crash.
const std::string faults = R"(
[cluster]
workers = 2
[[faults]]
at = "30ms"
kind = "slowdown"
target = "worker-1"
factor = 3.0
duration = "100ms"
[[faults]]
at = "40ms"
kind = "drop"
from = "worker-0"
probability = 0.5
duration = "80ms"
[[faults]]
at = "50ms"
kind = "server_crash"
restart_after = "20ms"
)";

// One effect a stand-in received: who, from which fault, what, begin or end, when.
struct seen {
  std::string who;
  std::uint32_t fault;
  sim::effect_kind kind;
  bool begin;
  double at;
};

using log_ptr = std::shared_ptr<std::vector<seen>>;

// Stands in for a worker, server or link: logs every effect it gets.
caf::behavior stand_in(caf::event_based_actor* self, std::string who, log_ptr log,
                       caf::actor_clock::time_point t0) {
  return {[=](const effect_msg& e) {
    auto at = seconds_between(t0, self->clock().now());
    log->push_back({who, e.fault, e.effect.kind, e.begin, at});
  }};
}

struct fixture : test::actor_fixture {
  log_ptr log = std::make_shared<std::vector<seen>>();
  caf::actor injector = sys.spawn(fault_injector, resolved(faults));

  fixture() {
    directory d;
    for (const char* name : {"worker-0", "worker-1", "server-0", "worker-0->server-0",
                             "server-0->worker-0", "worker-1->server-0", "server-0->worker-1"}) {
      d.names.emplace_back(name);
      d.handles.push_back(sys.spawn(stand_in, std::string{name}, log, t0));
    }
    self->send(injector, std::move(d));
    self->send(injector, start_atom::value, caf::actor{self});
    sched.run();
  }

  // Checks that the log's entry `i` is `expected`.
  void check(std::size_t i, const seen& expected) {
    CAF_REQUIRE(i < log->size());
    const auto& got = (*log)[i];
    CAF_CHECK_EQUAL(got.who, expected.who);
    CAF_CHECK_EQUAL(got.fault, expected.fault);
    CAF_CHECK(got.kind == expected.kind);
    CAF_CHECK_EQUAL(got.begin, expected.begin);
    CAF_CHECK_EQUAL(got.at, expected.at);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(fault_injector_tests, fixture)

CAF_TEST(each effect begins and ends at its exact time on exactly its targets) {
  using sim::effect_kind;
  advance_s(0.029);
  CAF_CHECK(log->empty());
  advance_s(0.001);
  CAF_CHECK_EQUAL(log->size(), 1u);
  check(0, {"worker-1", 0, effect_kind::worker_slowed, true, 0.03});
  advance_s(0.01);
  check(1, {"worker-0->server-0", 1, effect_kind::link_loss, true, 0.04});
  advance_s(0.01);
  check(2, {"server-0", 2, effect_kind::server_down, true, 0.05});
  advance_s(0.02);
  check(3, {"server-0", 2, effect_kind::server_down, false, 0.07});
  advance_s(0.05);
  check(4, {"worker-0->server-0", 1, effect_kind::link_loss, false, 0.12});
  advance_s(0.01);
  check(5, {"worker-1", 0, effect_kind::worker_slowed, false, 0.13});
  advance_s(1.0);
  CAF_CHECK_EQUAL(log->size(), 6u);
}

CAF_TEST(the report names the targets of each fault begun before the stop) {
  advance_s(0.045);
  self->send(injector, stop_atom::value, caf::actor{self});
  sched.run();
  self->receive([](const injector_report& r) {
    CAF_REQUIRE_EQUAL(r.faults.size(), 2u);
    CAF_CHECK_EQUAL(r.faults[0].kind, "slowdown");
    CAF_CHECK_EQUAL(r.faults[0].target, "worker-1");
    CAF_CHECK_EQUAL(r.faults[0].until, -1.0);
    CAF_CHECK_EQUAL(r.faults[1].kind, "drop");
    CAF_CHECK_EQUAL(r.faults[1].target, "worker-0->server-0");
    CAF_CHECK_EQUAL(r.extra_reports, 0u);
  });
  advance_s(1.0);
  CAF_CHECK_EQUAL(log->size(), 2u); // nothing fires after the stop
}

CAF_TEST_FIXTURE_SCOPE_END()
