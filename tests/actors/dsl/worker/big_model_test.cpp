// A big model's worker (issue 15, d = 10^5 at batch 1): it takes the residual on the
// parameters it receives, so that it holds no gradient while it computes. In one process
// with its one server it pushes that residual and its row, which the whole gradient's
// bits come back from; a worker that needs the whole gradient itself (local_update)
// writes it when the computation ends, into the message the server let go of last,
// whichever worker sent it.
#define CAF_SUITE actors.worker_big_model
#include "actors/worker/worker.hpp"

#include "tests/actors/dsl/fixture.hpp"
#include "tests/support/big_model.hpp"

using namespace psim;
using namespace psim::actors;

namespace {

constexpr std::size_t parameters = test::big_model_parameters;

// Two workers of `text` whose uplinks and recorder are the test's own actor.
struct big_model_fixture : test::actor_fixture {
  sim::scenario scn;
  std::shared_ptr<const sim::prepared_data> data;
  worker_actor first;
  worker_actor second;

  explicit big_model_fixture(const std::string& text = test::big_model_scenario)
    : scn(sim::parse_scenario(text, "big-model-test.toml")),
      data(sim::shared_data(scn.data, scn.seed, scn.cluster.workers)),
      first(spawn_worker(0)), second(spawn_worker(1)) {}

  worker_actor spawn_worker(std::uint32_t id) {
    auto w = sys.spawn(actors::worker, actor_config{id, "", "", scn.resolved});
    self->send(w, wiring{{self}, {}});
    self->send(w, start_atom::value, caf::actor{self});
    sched.run();
    return w;
  }

  ~big_model_fixture() {
    for (const auto& w : {first, second})
      self->send(w, stop_atom::value, caf::actor{self});
    sched.run();
  }

  // Parameters of version 0, all `value`, for `w`.
  void send_params(const worker_actor& w, double value) {
    self->send(w, params_msg{0, 0, 0, std::vector<double>(parameters, value)});
    sched.run();
  }

  // The gradient of worker `id`'s first mini-batch at parameters all `value`, computed
  // here without the actor, in one piece.
  std::vector<double> expected_gradient(std::uint32_t id, double value) {
    auto model = sim::make_model(scn.model, data->train.features());
    sim::minibatches batches{scn.training.sampling, data->shards.at(id), scn.training.batch_size,
                             sim::random_stream{scn.seed, "batches/" + worker_name(id)}};
    sim::vector theta = sim::vector::Constant(parameters, value);
    sim::vector out(parameters);
    model->gradient(theta, batches.next(data->train), out);
    return {out.data(), out.data() + out.size()};
  }

  // The first worker's push on parameters all 0.01, which comes after its 50 ms of
  // compute time, not before.
  gradient_msg first_push() {
    send_params(first, 0.01);
    advance_s(0.049999);
    CAF_CHECK(self->mailbox().empty());
    advance_s(0.000001);
    gradient_msg pushed;
    self->receive([&](const gradient_msg& g) { pushed = g; });
    return pushed;
  }

  // The whole gradient that `g`, in residual form, stands for.
  std::vector<double> expanded(const gradient_msg& g) {
    auto model = sim::make_model(scn.model, data->train.features());
    Eigen::Map<const sim::vector> r{g.values.data(), static_cast<Eigen::Index>(g.values.size())};
    sim::vector out(parameters);
    model->gradient_from(r, sim::rows_of(data->train, g.row, 1), out);
    return {out.data(), out.data() + out.size()};
  }
};

// Workers that apply their own gradient first, so that they need it whole.
struct local_update_fixture : big_model_fixture {
  local_update_fixture() : big_model_fixture(with_local_update()) {}

  static std::string with_local_update() {
    auto text = test::big_model_scenario;
    return text.insert(text.find("batch_size = 1\n"), "local_update = true\n");
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(big_model_tests, big_model_fixture)

CAF_TEST(the model is big and its batch - 1 gradient has a residual form) {
  auto model = sim::make_model(scn.model, data->train.features());
  CAF_CHECK_EQUAL(model->parameters(), parameters);
  CAF_CHECK_GREATER_OR_EQUAL(parameters, sim::big_model_from);
  CAF_CHECK_EQUAL(model->residual_size(sim::rows_of(data->train, 0, 1)), 100);
}

CAF_TEST(a worker pushes its residual and row that give the bits of the whole gradient) {
  auto pushed = first_push();
  CAF_CHECK(pushed.residual_form());
  CAF_CHECK_EQUAL(pushed.entries, parameters);
  CAF_CHECK_EQUAL(pushed.size(), parameters); // what a link ships
  CAF_CHECK_EQUAL(pushed.values.size(), 100u);
  CAF_CHECK_EQUAL(pushed.seq, 1u);
  CAF_CHECK(expanded(pushed) == expected_gradient(0, 0.01));
}

CAF_TEST(a worker reuses its own residual message once the server let go of it) {
  send_params(first, 0.01);
  advance_s(0.05);
  const double* first_buffer = nullptr;
  self->receive([&](const gradient_msg& g) { first_buffer = g.values.data(); });
  self->send(first, params_msg{0, 1, 0, std::vector<double>(parameters, 0.02)});
  sched.run();
  advance_s(0.05);
  CAF_REQUIRE(!self->mailbox().empty());
  const double* second_buffer = nullptr;
  self->receive([&](const gradient_msg& g) {
    CAF_CHECK_EQUAL(g.seq, 2u);
    CAF_CHECK_EQUAL(g.version, 1u);
    second_buffer = g.values.data();
  });
  CAF_CHECK_EQUAL(second_buffer, first_buffer);
}

CAF_TEST_FIXTURE_SCOPE_END()

CAF_TEST_FIXTURE_SCOPE(local_update_tests, local_update_fixture)

CAF_TEST(a gradient written when the computation ends has the bits of the whole one) {
  auto pushed = first_push();
  CAF_CHECK_EQUAL(pushed.worker, 0u);
  CAF_CHECK_EQUAL(pushed.version, 0u);
  CAF_CHECK_EQUAL(pushed.samples, 1u);
  CAF_CHECK_EQUAL(pushed.seq, 1u);
  CAF_CHECK(!pushed.residual_form());
  CAF_CHECK(pushed.values == expected_gradient(0, 0.01));
}

CAF_TEST(a gradient goes into the message another worker sent and the server let go of) {
  // The second worker starts 10 ms after the first: both compute when the first pushes.
  send_params(first, 0.01);
  advance_s(0.01);
  send_params(second, 0.02);
  advance_s(0.04);
  const double* first_buffer = nullptr;
  self->receive([&](const gradient_msg& g) { first_buffer = g.values.data(); });
  // The test actor, the workers' "server", has let go of the first push. The second
  // worker, which took no message when it started, takes that one when it ends.
  advance_s(0.01);
  const double* second_buffer = nullptr;
  std::vector<double> second_values;
  self->receive([&](const gradient_msg& g) {
    second_buffer = g.values.data();
    second_values = g.values;
  });
  CAF_CHECK_EQUAL(now_s(), 0.06);
  CAF_CHECK_EQUAL(second_buffer, first_buffer);
  CAF_CHECK(second_values == expected_gradient(1, 0.02));
}

CAF_TEST_FIXTURE_SCOPE_END()
