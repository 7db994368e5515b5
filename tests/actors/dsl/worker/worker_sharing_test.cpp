// What a million workers share instead of holding each (issue 15): the settings of a
// scenario, the model of a thread, and one-shard views held in place; and the size
// budget of a worker's and a link's state.
#define CAF_SUITE actors.worker_sharing
#include "actors/link/network_link.hpp"
#include "actors/runtime/scenario_cache.hpp"
#include "actors/worker/worker.hpp"

#include "tests/actors/dsl/fixture.hpp"

using namespace psim;
using namespace psim::actors;

namespace {

const std::string text = R"(
seed = 11
[data]
samples = 60
features = 4
[model]
kind = "linear_regression"
[training]
mode = "async"
learning_rate = 0.05
batch_size = 3
[cluster]
workers = 3
servers = 2
[network]
timeout = "150ms"
)";

} // namespace

CAF_TEST(workers of one scenario and node share one settings object) {
  auto scn = shared_scenario(sim::parse_scenario(text, "sharing.toml").resolved);
  auto a = shared_settings(scn, "");
  auto b = shared_settings(scn, "");
  auto remote = shared_settings(scn, "10.0.0.2:4242");
  CAF_CHECK_EQUAL(a.get(), b.get());
  CAF_CHECK_NOT_EQUAL(a.get(), remote.get());
  CAF_CHECK_EQUAL(a->node, "local");
  CAF_CHECK_EQUAL(remote->node, "10.0.0.2:4242");
  CAF_CHECK_EQUAL(a->seed, 11u);
  CAF_CHECK_EQUAL(a->workers, 3u);
  CAF_CHECK_EQUAL(a->servers, 2u);
  CAF_CHECK_EQUAL(a->batch_size, 3u);
  CAF_CHECK_EQUAL(a->learning_rate, 0.05);
  CAF_REQUIRE(a->timeout.has_value());
  CAF_CHECK_EQUAL(*a->timeout, 0.15);
  CAF_CHECK_EQUAL(a->scenario.get(), scn.get());
  CAF_CHECK_EQUAL(a->data->shards.size(), 3u);
}

CAF_TEST(a thread computes with one model per scenario) {
  auto scn = shared_scenario(sim::parse_scenario(text, "sharing.toml").resolved);
  const auto& m = thread_model(*scn, 4);
  CAF_CHECK_EQUAL(&m, &thread_model(*scn, 4));
  CAF_CHECK_EQUAL(m.parameters(), 5u); // 4 weights and the bias
}

CAF_TEST(shard views hold the first in place and the others apart) {
  shard_views views;
  views.resize(1);
  CAF_CHECK_EQUAL(views.size(), 1u);
  views[0].version = 7;
  views.resize(3);
  CAF_CHECK_EQUAL(views.size(), 3u);
  views[1].version = 8;
  views[2].version = 9;
  CAF_CHECK_EQUAL(views[0].version, 7u);
  CAF_CHECK_EQUAL(views[1].version, 8u);
  CAF_CHECK_EQUAL(views[2].version, 9u);
  CAF_CHECK_NOT_EQUAL(&views[0], &views[1]);
}

// x86-64 with libstdc++, the platform psim's memory figures are measured on: the
// budgets of issue 15 (a million workers in 8 GB), so that a member added in passing
// shows up here. They were 1,424 and 592 bytes before.
CAF_TEST(worker and link states stay within their budgets) {
  CAF_CHECK_LESS_OR_EQUAL(sizeof(worker_state), 656u);
  CAF_CHECK_LESS_OR_EQUAL(sizeof(network_link_state), 232u);
}
