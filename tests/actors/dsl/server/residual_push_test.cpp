// A big model's gradient pushed as its residual (issue 15): the server expands it a part
// at a time as it steps θ, and sends the bits the whole gradient gives, in async and in
// a sync round, with an optimizer's state and a staleness weight. A push whose row or
// sizes do not fit the run ends the server with a message that says so.
#define CAF_SUITE actors.residual_push
#include "actors/runtime/failure_watch.hpp"
#include "actors/server/parameter_server.hpp"
#include "sim/data/data.hpp"

#include "tests/actors/dsl/fixture.hpp"
#include "tests/support/big_model.hpp"

#include <cmath>
#include <cstring>
#include <memory>

using namespace psim;
using namespace psim::actors;

namespace {

constexpr std::size_t parameters = test::big_model_parameters;

/// A downlink or recorder that keeps the parameters it receives, in order.
caf::behavior collector(caf::event_based_actor*, std::shared_ptr<std::vector<params_msg>> box) {
  return {
    [=](const params_msg& p) { box->push_back(p); },
    [=](const metrics_point&) {},
    [=](const server_report&) {},
    [=](stalled_atom, const std::string&) {},
    [=](stop_atom) {},
  };
}

/// The big-model scenario in `mode`, with `lines` added to its [training] table.
std::string scenario_with(const std::string& mode, const std::string& lines) {
  auto text = test::big_model_scenario;
  text.replace(text.find("mode = \"async\""), 14, "mode = \"" + mode + "\"");
  return text.insert(text.find("batch_size = 1\n"), lines + "\n");
}

struct fixture : test::actor_fixture {
  sim::scenario scn = sim::parse_scenario(test::big_model_scenario, "residual-test.toml");
  std::shared_ptr<const sim::prepared_data> data =
    sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  std::unique_ptr<sim::model> model = sim::make_model(scn.model, data->train.features());

  /// A server of `text` from θ = 0.01, whose downlinks and recorder file into `box`.
  caf::actor start(const std::string& text, std::shared_ptr<std::vector<params_msg>> box) {
    actor_config config{0, "", "", resolved(text)};
    config.initial_parameters.assign(parameters, 0.01);
    auto server = sys.spawn(parameter_server, config);
    auto peer = sys.spawn(collector, box);
    self->send(server, wiring{{peer, peer}, {}});
    self->send(server, start_atom::value, peer);
    sched.run();
    return server;
  }

  /// Worker `w`'s push `seq` on `version`, in residual form: residual numbers of both
  /// signs on training row `row`, weighing 1 + 2w samples in a round (so that the
  /// round's weights show).
  gradient_msg residual_push(std::uint32_t w, std::uint64_t version, std::uint64_t seq,
                             std::uint64_t row) {
    gradient_msg g{w, version, 1 + 2 * w, seq, 1, 0, 0, {}};
    for (int k = 0; k < 100; ++k)
      g.values.push_back(std::sin(0.37 * static_cast<double>(k + row)) / 3);
    g.row = row;
    g.entries = parameters;
    return g;
  }

  /// The same push with the whole gradient written out.
  gradient_msg whole(gradient_msg g) {
    sim::vector out(static_cast<Eigen::Index>(parameters));
    Eigen::Map<const sim::vector> r{g.values.data(), static_cast<Eigen::Index>(g.values.size())};
    model->gradient_from(r, sim::rows_of(data->train, g.row, 1), out);
    g.values.assign(out.data(), out.data() + out.size());
    g.row = 0;
    g.entries = 0;
    return g;
  }

  /// Sends the same three pushes, one server in residual form and one whole, and checks
  /// that both send the same parameters, bit for bit.
  void check_same_parameters(const std::string& text) {
    auto residual_box = std::make_shared<std::vector<params_msg>>();
    auto whole_box = std::make_shared<std::vector<params_msg>>();
    auto residual_server = start(text, residual_box);
    auto whole_server = start(text, whole_box);
    for (const auto& g : {residual_push(0, 0, 1, 3), residual_push(1, 0, 1, 7),
                          residual_push(0, 1, 2, 11)}) {
      CAF_REQUIRE(g.residual_form());
      self->send(residual_server, g);
      self->send(whole_server, whole(g));
      sched.run();
    }
    CAF_REQUIRE_EQUAL(residual_box->size(), whole_box->size());
    CAF_REQUIRE_GREATER(residual_box->size(), 2u); // the start's, and updates'
    for (std::size_t i = 0; i < residual_box->size(); ++i) {
      const auto& a = (*residual_box)[i];
      const auto& b = (*whole_box)[i];
      CAF_CHECK_EQUAL(a.version, b.version);
      CAF_REQUIRE_EQUAL(a.values.size(), parameters);
      CAF_CHECK(std::memcmp(a.values.data(), b.values.data(), parameters * sizeof(double)) == 0);
    }
    CAF_CHECK(residual_box->back().values != residual_box->front().values);
  }

  /// The failure message the server of the big-model scenario ends with on `g`.
  std::string failure_on(const gradient_msg& g) {
    auto box = std::make_shared<std::vector<params_msg>>();
    auto server = start(test::big_model_scenario, box);
    self->monitor(server);
    self->send(server, g);
    sched.run();
    CAF_REQUIRE(!self->mailbox().empty());
    std::string message;
    self->receive([&](const caf::down_msg& m) { message = failure_message(m.reason); });
    return message;
  }
};

} // namespace

CAF_TEST_FIXTURE_SCOPE(residual_push_tests, fixture)

CAF_TEST(async steps theta by a residual to the bits of the whole gradient) {
  check_same_parameters(test::big_model_scenario);
}

CAF_TEST(a sync round sums residuals to the bits of the whole gradients) {
  check_same_parameters(scenario_with("sync", "optimizer = \"momentum\""));
}

CAF_TEST(adam and a staleness weight see the same directions) {
  // The second and third pushes are a version stale: weighted 1 / (1 + 1).
  check_same_parameters(scenario_with(
    "async", "optimizer = \"adam\"\nstaleness_lr = { kind = \"polynomial\", a = 1 }"));
}

CAF_TEST(plain sgd steps by a weighted residual in one pass to the same bits) {
  // The server takes plain SGD's step in the pass that expands the gradient
  // (model::descend_part), here with the stale pushes' weight of 1 / 2.
  check_same_parameters(scenario_with("async", "staleness_lr = { kind = \"polynomial\", a = 1 }"));
}

CAF_TEST(a push in residual form that does not fit the run ends the server with a message) {
  auto row = residual_push(0, 0, 1, 1'000'000);
  CAF_CHECK(failure_on(row).find("names row 1000000 of") != std::string::npos);
  auto entries = residual_push(0, 0, 1, 3);
  entries.entries = 5;
  CAF_CHECK(failure_on(entries).find("a gradient of 5 entries for a shard of 10000")
            != std::string::npos);
  auto residual = residual_push(0, 0, 1, 3);
  residual.values.resize(7);
  CAF_CHECK(failure_on(residual).find("from 7 numbers does not fit the model")
            != std::string::npos);
}

CAF_TEST_FIXTURE_SCOPE_END()
