// The parameter server at message level: what it sends at the start, when it applies a
// round and answers, what it does with a duplicate, a push that comes while it is busy
// (server_apply_time) and a lost worker, at exact virtual times.
#define CAF_SUITE actors.parameter_server
#include "actors/server/parameter_server.hpp"

#include "tests/actors/dsl/fixture.hpp"

#include <memory>

using namespace psim;
using namespace psim::actors;

namespace {

// Two workers, updates take 10 ms on the server, default rate 0.1.
const std::string two_workers = R"(
[cluster]
workers = 2
server_apply_time = "10ms"
)";

/// What the server's peers received, with the virtual time of each arrival.
struct inbox {
  std::vector<std::pair<double, params_msg>> params; ///< at a downlink
  std::vector<metrics_point> points;                 ///< at the recorder
  std::vector<server_report> reports;                ///< at the recorder
  std::vector<std::pair<double, std::string>> stalls; ///< stall reports at the recorder
};

/// A peer that files what it receives into `box`; time 0 is `t0`.
caf::behavior peer(caf::event_based_actor* self, std::shared_ptr<inbox> box,
                   caf::actor_clock::time_point t0) {
  return {
    [=](const params_msg& p) {
      box->params.emplace_back(seconds_between(t0, self->clock().now()), p);
    },
    [=](const metrics_point& p) { box->points.push_back(p); },
    [=](const server_report& r) { box->reports.push_back(r); },
    [=](stalled_atom, const std::string& detail) {
      box->stalls.emplace_back(seconds_between(t0, self->clock().now()), detail);
    },
    [=](stop_atom) {},
  };
}

/// A push of worker `w` on `version`, number `seq`, with `samples` rows.
gradient_msg push(std::uint32_t w, std::uint64_t version, std::uint64_t seq,
                  std::uint32_t samples, std::vector<double> values) {
  return {w, version, samples, seq, 1, 0, 0, std::move(values)};
}

struct fixture : test::actor_fixture {
  std::shared_ptr<inbox> to_worker0 = std::make_shared<inbox>();
  std::shared_ptr<inbox> to_worker1 = std::make_shared<inbox>();
  std::shared_ptr<inbox> recorded = std::make_shared<inbox>();
  caf::actor down0 = sys.spawn(peer, to_worker0, t0);
  caf::actor down1 = sys.spawn(peer, to_worker1, t0);
  caf::actor recorder = sys.spawn(peer, recorded, t0);
  caf::actor worker0 = sys.spawn(peer, std::make_shared<inbox>(), t0);
  caf::actor worker1 = sys.spawn(peer, std::make_shared<inbox>(), t0);
  caf::actor server;

  /// Spawns a server for `toml` starting from θ = (1, 2), wires it and starts it.
  void start(const std::string& toml) {
    actor_config config{0, "", "", resolved(toml)};
    config.initial_parameters = {1.0, 2.0};
    server = sys.spawn(parameter_server, config);
    self->send(server, wiring{{down0, down1}, {worker0, worker1}});
    self->send(server, start_atom::value, recorder);
    sched.run();
  }

  /// The report the server sends at the stop.
  server_report stop() {
    self->send(server, stop_atom::value, recorder);
    sched.run();
    return recorded->reports.at(0);
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(parameter_server_tests, fixture)

CAF_TEST(at the start the server sends version 0 to every downlink) {
  actor_config config{0, "", "", resolved(two_workers)};
  config.initial_parameters = {1.0, 2.0};
  server = sys.spawn(parameter_server, config);
  self->send(server, wiring{{down0, down1}, {}});
  self->send(server, start_atom::value, recorder);
  expect((wiring), from(self).to(server));
  expect((start_atom, caf::actor), from(self).to(server));
  expect((metrics_point), from(server).to(recorder));
  expect((params_msg), from(server).to(down0));
  expect((params_msg), from(server).to(down1));
  CAF_CHECK_EQUAL(recorded->points.at(0).version, 0u);
  CAF_REQUIRE_EQUAL(to_worker0->params.size(), 1u);
  CAF_CHECK_EQUAL(to_worker0->params[0].first, 0.0);
  CAF_CHECK_EQUAL(to_worker0->params[0].second.version, 0u);
  CAF_CHECK(to_worker0->params[0].second.values == (std::vector<double>{1.0, 2.0}));
  CAF_CHECK_EQUAL(to_worker1->params.size(), 1u);
}

CAF_TEST(under sync the server applies after both gradients and broadcasts version 1) {
  start(two_workers);
  self->send(server, push(0, 0, 1, 10, {1.0, 1.0}));
  expect((gradient_msg), from(self).to(server));
  CAF_CHECK(sched.jobs.empty());
  self->send(server, push(1, 0, 1, 30, {3.0, -1.0}));
  expect((gradient_msg), from(self).to(server));
  // The update takes 10 ms: the parameters leave when it is done.
  CAF_CHECK(sched.jobs.empty());
  advance_s(0.009);
  CAF_CHECK_EQUAL(to_worker0->params.size(), 1u);
  advance_s(0.001);
  CAF_REQUIRE_EQUAL(to_worker0->params.size(), 2u);
  CAF_REQUIRE_EQUAL(to_worker1->params.size(), 2u);
  const auto& [at, p] = to_worker0->params[1];
  CAF_CHECK_EQUAL(at, 0.010);
  CAF_CHECK_EQUAL(p.version, 1u);
  // θ − 0.1 · (10 g0 + 30 g1) / 40
  CAF_CHECK(p.values == (std::vector<double>{1.0 - 0.1 * 2.5, 2.0 - 0.1 * -0.5}));
  CAF_CHECK(to_worker1->params[1].second.values == p.values);
  auto report = stop();
  CAF_CHECK_EQUAL(report.applied, 2u);
  CAF_CHECK_EQUAL(report.pending, 0u);
}

CAF_TEST(a duplicate push is ignored while its round is open) {
  start(two_workers);
  self->send(server, push(0, 0, 1, 10, {1.0, 1.0}));
  self->send(server, push(0, 0, 1, 10, {1.0, 1.0}));
  expect((gradient_msg), from(self).to(server));
  expect((gradient_msg), from(self).to(server));
  CAF_CHECK(sched.jobs.empty());
  auto report = stop();
  CAF_CHECK_EQUAL(report.received, 1u);
  CAF_CHECK_EQUAL(report.duplicates, 1u);
  CAF_CHECK_EQUAL(report.pending, 1u);
  CAF_CHECK_EQUAL(to_worker0->params.size(), 1u);
}

CAF_TEST(a push that arrives during an update is taken up when the update is done) {
  start(two_workers);
  self->send(server, push(0, 0, 1, 10, {1.0, 1.0}));
  self->send(server, push(1, 0, 1, 10, {1.0, 1.0}));
  sched.run();
  // Worker 0 is already on version 1 (a fast worker): its push waits for the update.
  self->send(server, push(0, 1, 2, 10, {1.0, 1.0}));
  sched.run();
  self->send(server, push(1, 1, 2, 10, {1.0, 1.0}));
  sched.run();
  advance_s(0.010);
  // Both pushes of version 1 were taken at 10 ms: version 2 leaves at 20 ms.
  advance_s(0.010);
  CAF_REQUIRE_EQUAL(to_worker0->params.size(), 3u);
  CAF_CHECK_EQUAL(to_worker0->params[2].first, 0.020);
  CAF_CHECK_EQUAL(to_worker0->params[2].second.version, 2u);
  CAF_CHECK_EQUAL(stop().applied, 4u);
}

CAF_TEST(a lost worker lets the live one complete the round) {
  start(two_workers);
  self->send(server, push(0, 0, 1, 10, {1.0, 1.0}));
  sched.run();
  caf::anon_send_exit(worker1, caf::exit_reason::kill);
  sched.run();
  advance_s(0.010);
  CAF_REQUIRE_EQUAL(to_worker0->params.size(), 2u);
  CAF_CHECK_EQUAL(to_worker0->params[1].second.version, 1u);
  CAF_CHECK(to_worker0->params[1].second.values
            == (std::vector<double>{1.0 - 0.1 * 1.0, 2.0 - 0.1 * 1.0}));
  // Worker 1 is down: it gets nothing.
  CAF_CHECK_EQUAL(to_worker1->params.size(), 1u);
}

CAF_TEST(under async the server answers only the sender) {
  start(two_workers + "[training]\nmode = \"async\"\n");
  self->send(server, push(1, 0, 1, 10, {1.0, 1.0}));
  sched.run();
  advance_s(0.010);
  CAF_CHECK_EQUAL(to_worker0->params.size(), 1u);
  CAF_REQUIRE_EQUAL(to_worker1->params.size(), 2u);
  CAF_CHECK_EQUAL(to_worker1->params[1].second.version, 1u);
  CAF_CHECK_EQUAL(to_worker1->params[1].first, 0.010);
}

CAF_TEST(a server left waiting reports who it waits for when the watchdog fires) {
  start(two_workers);
  self->send(server, push(0, 0, 1, 10, {1.0, 1.0}));
  sched.run();
  advance_s(0.999);
  CAF_CHECK(recorded->stalls.empty());
  advance_s(0.001);
  CAF_REQUIRE_EQUAL(recorded->stalls.size(), 1u);
  CAF_CHECK_EQUAL(recorded->stalls[0].first, 1.0);
  const auto& detail = recorded->stalls[0].second;
  CAF_CHECK(detail.find("at version 0 (sync)") != std::string::npos);
  CAF_CHECK(detail.find("holds 1 gradient(s) of this round and waits for worker-1")
            != std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE_END()
