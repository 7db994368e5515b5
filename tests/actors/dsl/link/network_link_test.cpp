// The network link at message level: a message arrives after its serialization time
// plus the latency, in FIFO order; a cut link drops it; a latency effect delays it.
#define CAF_SUITE actors.network_link
#include "tests/actors/dsl/link/link_fixture.hpp"

using namespace psim;
using namespace psim::actors;

namespace {

// 1000 doubles = 8064 bytes at 1 MB/s: 8.064 ms on the wire, then 2 ms of latency.
const std::string network = R"(
[network]
latency = "2ms"
bandwidth = 1e6
)";

struct fixture : test::link_fixture {
  fixture() : link_fixture("server-0", "worker-0", network) {}
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(network_link_tests, fixture)

CAF_TEST(a message arrives after its serialization time plus the latency) {
  self->send(link, params_msg{0, 7, 0, std::vector<double>(1000, 1.0)});
  expect((params_msg), from(self).to(link));
  disallow((params_msg), from(self).to(self));
  advance_s(0.010063);
  CAF_CHECK(self->mailbox().empty());
  advance_s(0.000002);
  self->receive([](const params_msg& p) { CAF_CHECK_EQUAL(p.version, 7u); });
  CAF_CHECK_EQUAL(now_s(), 0.010065);
}

CAF_TEST(a second message waits until the first has left the wire) {
  self->send(link, params_msg{0, 1, 0, std::vector<double>(1000, 1.0)});
  self->send(link, params_msg{0, 2, 0, std::vector<double>(1000, 1.0)});
  sched.run();
  // First: 8.064 ms + 2 ms; second: 2 x 8.064 ms + 2 ms.
  advance_s(0.010064);
  self->receive([](const params_msg& p) { CAF_CHECK_EQUAL(p.version, 1u); });
  advance_s(0.008064);
  self->receive([](const params_msg& p) { CAF_CHECK_EQUAL(p.version, 2u); });
  CAF_CHECK_EQUAL(now_s(), 0.018128);
}

CAF_TEST(a cut link drops every message until the cut is lifted) {
  sim::effect cut{sim::effect_kind::link_cut, 1, 1, {}};
  self->send(link, effect_msg{4, cut, true});
  self->send(link, params_msg{0, 1, 0, std::vector<double>(1000, 1.0)});
  sched.run();
  advance_s(1.0);
  CAF_CHECK(self->mailbox().empty());
  self->send(link, effect_msg{4, cut, false});
  self->send(link, params_msg{0, 2, 0, std::vector<double>(1000, 1.0)});
  sched.run();
  advance_s(0.010064);
  self->receive([](const params_msg& p) { CAF_CHECK_EQUAL(p.version, 2u); });
  CAF_CHECK(self->mailbox().empty());
}

CAF_TEST(a latency effect replaces the link latency while in force) {
  sim::effect slow{sim::effect_kind::link_latency, 1, 1, sim::distribution::fixed(0.05)};
  self->send(link, effect_msg{0, slow, true});
  self->send(link, params_msg{0, 1, 0, std::vector<double>(1000, 1.0)});
  sched.run();
  // 8.064 ms on the wire, then 50 ms instead of 2 ms.
  advance_s(0.058063);
  CAF_CHECK(self->mailbox().empty());
  advance_s(0.000001);
  self->receive([](const params_msg& p) { CAF_CHECK_EQUAL(p.version, 1u); });
  CAF_CHECK_EQUAL(now_s(), 0.058064);
  self->send(link, effect_msg{0, slow, false});
  self->send(link, params_msg{0, 2, 0, std::vector<double>(1000, 1.0)});
  sched.run();
  advance_s(0.010064);
  self->receive([](const params_msg& p) { CAF_CHECK_EQUAL(p.version, 2u); });
}

CAF_TEST_FIXTURE_SCOPE_END()
