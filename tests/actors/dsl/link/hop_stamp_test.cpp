// The real clock's arrival stamps: a link forwards a payload that its sender still holds
// (a server's θ, a worker's kept gradient) with the arrival time beside it, in a
// hop_stamp, and the payload is the sender's own, not a copy; a payload nobody else
// holds carries the time in itself. Both forms arrive at the same model time. A worker's
// resend, its kept gradient with its own hop stamp, crosses an uplink the same way.
#define CAF_SUITE actors.hop_stamp
#include "actors/runtime/hop_stamp.hpp"
#include "tests/actors/dsl/link/link_fixture.hpp"

using namespace psim;
using namespace psim::actors;

namespace {

// 1000 doubles = 8064 bytes at 1 MB/s: 8.064 ms on the wire, then 2 ms of latency.
const std::string real_clock = R"(
[run]
clock = "real"
[network]
latency = "2ms"
bandwidth = 1e6
)";

// The model time 10.064 ms after the sender's stamp, as a stamp.
constexpr std::int64_t hop_ns = 10'064'000;

struct fixture : test::link_fixture {
  fixture() : link_fixture("server-0", "worker-0", real_clock) {}

  // Whether the next message in the test's mailbox is made of Ts (a blocking receive of
  // another form would wait for ever: the test clock does not run its timeouts).
  template <class... Ts>
  bool next_is() {
    auto* next = self->mailbox().peek();
    return next != nullptr && next->content().match_elements<Ts...>();
  }

  // A params_msg stamped now, as a message.
  caf::message parameters(std::uint64_t version) {
    return caf::make_message(params_msg{0, version, 0, std::vector<double>(1000, 1.0),
                                        stamp_of(sched.clock().now())});
  }
};

// An uplink, for a worker's pushes.
struct uplink_fixture : test::link_fixture {
  uplink_fixture() : link_fixture("worker-0", "server-0", real_clock) {}
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(resend_tests, uplink_fixture)

CAF_TEST(a resent gradient crosses the uplink as itself with its hop stamp rewritten) {
  // The worker's kept push, which the link (or the server) still holds as it resends.
  auto kept = caf::make_message(gradient_msg{0, 3, 1, 5, 1, 0, 0, std::vector<double>(1000, 0.5),
                                             stamp_of(sched.clock().now())});
  auto resend = kept;
  auto sent_at = stamp_of(sched.clock().now()) + 1;
  stamp_hop<gradient_msg>(resend, sent_at); // as on_resend does under the real clock
  CAF_REQUIRE_EQUAL(resend.size(), 2u);
  self->send(link, resend);
  sched.run();
  CAF_REQUIRE(sched.trigger_timeout()); // the arrival at the server
  sched.run();
  auto* next = self->mailbox().peek();
  CAF_REQUIRE(next != nullptr);
  CAF_REQUIRE((next->content().match_elements<gradient_msg, hop_stamp>()));
  bool received = false;
  self->receive([&](const gradient_msg& g, const hop_stamp& stamp) {
    received = true;
    CAF_CHECK_EQUAL(g.seq, 5u);
    CAF_CHECK_EQUAL(g.values.data(), kept.get_as<gradient_msg>(0).values.data()); // no copy
    CAF_CHECK_GREATER(stamp.at, sent_at);
    CAF_CHECK_EQUAL(stamp.at, stamp_of(sched.clock().now())); // the arrival, as timed
  });
  CAF_CHECK(received);
  CAF_CHECK_EQUAL(resend.get_as<hop_stamp>(1).at, sent_at); // the worker's copy untouched
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST_FIXTURE_SCOPE(hop_stamp_tests, fixture)

CAF_TEST(a payload the sender still holds arrives as itself with a hop stamp) {
  auto kept = parameters(7); // the server keeps its θ, as server_parameters does
  auto sent_at = kept.get_as<params_msg>(0).at;
  self->send(link, kept);
  sched.run();
  advance_s(0.010064);
  CAF_REQUIRE((next_is<params_msg, hop_stamp>()));
  bool received = false;
  self->receive([&](const params_msg& p, const hop_stamp& stamp) {
    received = true;
    CAF_CHECK_EQUAL(p.version, 7u);
    CAF_CHECK_EQUAL(p.values.data(), kept.get_as<params_msg>(0).values.data()); // no copy
    CAF_CHECK_EQUAL(p.at, sent_at); // the sender's own stamp is left alone
    CAF_CHECK_EQUAL(stamp.at, sent_at + hop_ns);
  });
  CAF_CHECK(received);
  CAF_CHECK_EQUAL(now_s(), 0.010064);
}

CAF_TEST(a payload nobody else holds carries its arrival time in itself) {
  auto sent_at = stamp_of(sched.clock().now());
  self->send(link, params_msg{0, 8, 0, std::vector<double>(1000, 1.0), sent_at});
  sched.run();
  advance_s(0.010064);
  CAF_REQUIRE(next_is<params_msg>());
  bool received = false;
  self->receive([&](const params_msg& p) {
    received = true;
    CAF_CHECK_EQUAL(p.version, 8u);
    CAF_CHECK_EQUAL(p.at, sent_at + hop_ns);
  });
  CAF_CHECK(received);
}

CAF_TEST(a second hop rewrites the stamp beside the payload and never the payload) {
  auto kept = parameters(9);
  auto msg = kept;
  stamp_hop<params_msg>(msg, 111);
  CAF_REQUIRE_EQUAL(msg.size(), 2u);
  auto again = msg; // another holder of the stamped message
  stamp_hop<params_msg>(msg, 222);
  CAF_CHECK_EQUAL(msg.get_as<hop_stamp>(1).at, 222);
  CAF_CHECK_EQUAL(again.get_as<hop_stamp>(1).at, 111);
  CAF_CHECK_EQUAL(msg.get_as<params_msg>(0).values.data(),
                  kept.get_as<params_msg>(0).values.data());
  CAF_CHECK_EQUAL(kept.get_as<params_msg>(0).at, msg.get_as<params_msg>(0).at);
}

CAF_TEST_FIXTURE_SCOPE_END()
