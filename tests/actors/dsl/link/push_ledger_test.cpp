// The link's record of the pushes it carries: the report at the stop lists the copies
// still on the wire, by arrival time, and none that arrived, also after the record has
// been pruned of arrived copies.
#define CAF_SUITE actors.network_link.push_ledger
#include "tests/actors/dsl/link/link_fixture.hpp"

using namespace psim;
using namespace psim::actors;

namespace {

const std::string network = R"(
[network]
latency = "2ms"
)";

struct fixture : test::link_fixture {
  fixture() : link_fixture("worker-0", "server-0", network) {}

  // Push `seq` of worker 3, incarnation 1.
  void push(std::uint64_t seq) {
    self->send(link, gradient_msg{3, 0, 1, seq, 1, 1, 0, std::vector<double>(10, 1.0)});
    sched.run();
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(push_ledger_tests, fixture)

CAF_TEST(the report lists the pushes still on the wire by arrival and no arrived one) {
  for (std::uint64_t seq = 1; seq <= 40; ++seq)
    push(seq);
  advance_s(0.003); // all 40 have arrived
  for (int i = 0; i < 40; ++i)
    self->receive([](const gradient_msg&) {});
  sim::effect slow{sim::effect_kind::link_latency, 1, 1, sim::distribution::fixed(0.05)};
  self->send(link, effect_msg{0, slow, true});
  for (std::uint64_t seq = 41; seq <= 70; ++seq) // the 64th copy prunes the arrived ones
    push(seq);
  self->send(link, effect_msg{0, slow, false});
  push(71); // 2 ms of latency: it overtakes 41 to 70, still 50 ms away
  self->send(link, stop_atom::value, caf::actor{self});
  sched.run();
  std::vector<std::uint64_t> expected{3, 1, 71};
  for (std::uint64_t seq = 41; seq <= 70; ++seq)
    expected.insert(expected.end(), {3, 1, seq});
  self->receive([&](const link_report& r) {
    CAF_CHECK_EQUAL(r.sent, 71u);
    CAF_CHECK_EQUAL(r.in_transit, expected);
  });
}

CAF_TEST(a link whose pushes arrive one by one keeps a few of them however long it runs) {
  for (std::uint64_t seq = 1; seq <= 1000; ++seq) {
    push(seq);
    advance_s(0.003); // it arrives before the next leaves
    self->receive([](const gradient_msg&) {});
  }
  using link_actor = caf::stateful_actor<network_link_state, caf::event_based_actor>;
  auto* impl = static_cast<link_actor*>(caf::actor_cast<caf::abstract_actor*>(link));
  // A million links each once kept 64 arrived copies here (2 KB) in a long run.
  CAF_CHECK_LESS_OR_EQUAL(impl->state.pushes->in_transit.capacity(), 16u);
  self->send(link, stop_atom::value, caf::actor{self});
  sched.run();
  self->receive([](const link_report& r) {
    CAF_CHECK_EQUAL(r.sent, 1000u);
    CAF_CHECK(r.in_transit.empty());
  });
}

CAF_TEST_FIXTURE_SCOPE_END()
