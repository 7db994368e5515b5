// The worker at message level: given parameters it pushes the gradient of its next
// mini-batch to its uplink exactly compute.time later, resends an unanswered push
// after network.timeout, and (ksync) abandons a computation when a newer round arrives.
#define CAF_SUITE actors.worker
#include "actors/worker/worker.hpp"

#include "tests/actors/dsl/fixture.hpp"

using namespace psim;
using namespace psim::actors;

namespace {

// Two workers of 40 rows each, batches of 8, 50 ms per gradient, resend after 200 ms.
const std::string base = R"(
seed = 7
[data]
samples = 80
features = 2
weights = [2.0, -1.0]
bias = 0.5
noise = 0.1
[model]
kind = "linear_regression"
[training]
mode = "MODE"
learning_rate = 0.1
batch_size = 8
[cluster]
workers = 2
[compute]
time = "50ms"
[network]
timeout = "200ms"
)";

std::string scenario_text(const std::string& mode) {
  auto text = base;
  text.replace(text.find("MODE"), 4, mode);
  return text;
}

// A worker whose uplink and recorder are the test's own actor.
struct worker_fixture : test::actor_fixture {
  sim::scenario scn;
  worker_actor worker;

  explicit worker_fixture(const std::string& mode = "sync")
      : scn(sim::parse_scenario(scenario_text(mode), "worker-test.toml")),
        worker(sys.spawn(actors::worker, actor_config{1, "", "", scn.resolved})) {
    self->send(worker, wiring{{self}, {}});
    self->send(worker, start_atom::value, caf::actor{self});
    sched.run();
  }

  // A worker left running would resend its last push forever: stop it first.
  ~worker_fixture() {
    self->send(worker, stop_atom::value, caf::actor{self});
    sched.run();
  }

  // Parameters of `version` for the worker's single range (3 values: 2 weights, bias).
  void send_params(std::uint64_t version, double value = 0.25) {
    self->send(worker, params_msg{0, version, 0, std::vector<double>(3, value)});
    sched.run();
  }

  // The gradient the worker pushes, taken from the test actor's mailbox.
  gradient_msg next_push() {
    gradient_msg pushed;
    CAF_REQUIRE(!self->mailbox().empty());
    self->receive([&](const gradient_msg& g) { pushed = g; });
    return pushed;
  }

  // The gradient of the worker's first mini-batch at parameters all `value`, computed
  // here without the actor: the same shard, batch stream and model.
  std::vector<double> expected_gradient(double value) {
    auto data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
    auto model = sim::make_model(scn.model, data->train.features());
    sim::minibatches batches{scn.training.sampling, data->shards.at(1), scn.training.batch_size,
                             sim::random_stream{scn.seed, "batches/worker-1"}};
    sim::vector theta = sim::vector::Constant(3, value);
    sim::vector out(3);
    model->gradient(theta, batches.next(data->train), out);
    return {out.data(), out.data() + out.size()};
  }
};

struct ksync_fixture : worker_fixture {
  ksync_fixture() : worker_fixture("ksync") {}
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(worker_tests, worker_fixture)

CAF_TEST(given parameters it pushes its gradient exactly compute time later) {
  send_params(0);
  advance_s(0.049999);
  CAF_CHECK(self->mailbox().empty()); // no push before the compute time
  advance_s(0.000001);
  auto g = next_push();
  CAF_CHECK_EQUAL(now_s(), 0.05);
  CAF_CHECK_EQUAL(g.worker, 1u);
  CAF_CHECK_EQUAL(g.version, 0u);
  CAF_CHECK_EQUAL(g.samples, 8u);
  CAF_CHECK_EQUAL(g.seq, 1u);
  CAF_CHECK_EQUAL(g.gradients, 1u);
  CAF_CHECK_EQUAL(g.values, expected_gradient(0.25));
}

CAF_TEST(an unanswered push is sent again after the network timeout) {
  send_params(0);
  advance_s(0.05);
  auto first = next_push();
  advance_s(0.199999);
  CAF_CHECK(self->mailbox().empty());
  advance_s(0.000001);
  auto again = next_push();
  CAF_CHECK_EQUAL(now_s(), 0.25);
  CAF_CHECK_EQUAL(again.seq, first.seq);
  CAF_CHECK_EQUAL(again.version, first.version);
  CAF_CHECK_EQUAL(again.values, first.values);
}

CAF_TEST(parameters after a push answer it and start the next computation) {
  send_params(0);
  advance_s(0.05);
  CAF_CHECK_EQUAL(next_push().seq, 1u);
  send_params(1, 0.5);
  advance_s(0.05);
  auto second = next_push();
  CAF_CHECK_EQUAL(second.seq, 2u);
  CAF_CHECK_EQUAL(second.version, 1u);
  advance_s(0.15); // 200 ms after the first push: it was answered, no resend
  CAF_CHECK(self->mailbox().empty());
}

CAF_TEST(a sync worker finishes its computation when a newer round arrives) {
  send_params(0);
  advance_s(0.02);
  send_params(1, 0.5);
  advance_s(0.03);
  auto g = next_push();
  CAF_CHECK_EQUAL(g.version, 0u); // computed on version 0, pushed all the same
  CAF_CHECK_EQUAL(now_s(), 0.05);
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST_FIXTURE_SCOPE(worker_ksync_tests, ksync_fixture)

CAF_TEST(a ksync worker abandons its computation when a newer round arrives) {
  send_params(0);
  advance_s(0.02);
  send_params(1, 0.5);
  advance_s(0.049999);
  CAF_CHECK(self->mailbox().empty()); // the computation on version 0 is gone
  advance_s(0.000001);
  auto g = next_push(); // the one started on version 1, at 20 ms
  CAF_CHECK_EQUAL(now_s(), 0.07);
  CAF_CHECK_EQUAL(g.version, 1u);
  CAF_CHECK_EQUAL(g.seq, 1u);
}

CAF_TEST_FIXTURE_SCOPE_END()
