// The memory estimate (sim/scenario/memory_estimate): exact bytes for known sizes, and
// a run larger than the machine refused at the key that dominates.
#include "sim/scenario/memory_estimate.hpp"
#include "sim/scenario/scenario.hpp"
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/training/buffers.hpp"

#include <doctest/doctest.h>

using namespace psim;

TEST_SUITE("sim.memory_estimate") {

TEST_CASE("the actors' bytes per worker stay above those measured") {
  // Peak RSS per worker at 100,000 workers: 6,650 B with one shard, 10,970 B with two;
  // 7.4 KB at a million with one shard.
  CHECK(sim::worker_actor_bytes + 2 * sim::link_actor_bytes >= 7400);
  CHECK(sim::worker_actor_bytes + 4 * sim::link_actor_bytes >= 10970);
}

TEST_CASE("the estimate per worker stays above a long run's") {
  // 100,000 async workers, 10 parameters, batch 1, 6.6 million updates: 913 MB peak RSS,
  // 8.85 KB per worker beyond the 28 MB of a 10-worker run (a short run: 7.2 KB).
  // rows, features, parameters, workers, links, batch, widths: that run's sizes
  sim::memory_inputs in{111000, 9, 10, 100000, 2, 1, 1};
  auto e = sim::estimate_memory(in);
  CHECK((e.workers + e.messages + e.actors) / in.workers >= 8850);
}

TEST_CASE("every part of the estimate counts its buffers exactly") {
  sim::memory_inputs in;
  in.rows = 1000;
  in.features = 9;
  in.parameters = 10;
  in.workers = 4;
  in.batch = 50;
  in.widths = 10;
  in.metrics_rows = 100;
  in.links = 2;
  auto e = sim::estimate_memory(in);
  CHECK(e.data == 1000 * 10 * 8);
  CHECK(e.workers == 4 * (4 * 10 * 8 + 50 * 10 * 8 * 2));
  CHECK(e.servers == 4 * 10 * 8 + 1000 * 10 * 8 * 2);
  CHECK(e.messages == 4 * 10 * 8 * 4);
  CHECK(e.metrics == 100 * 256);
  CHECK(e.actors == 4 * (sim::worker_actor_bytes + 2 * sim::link_actor_bytes));
  CHECK(e.total() == e.data + e.workers + e.servers + e.messages + e.metrics + e.actors);
  CHECK(e.dominant_key("data.features") == "data.features");
}

TEST_CASE("the inputs of a scenario: rows, features and the model's parameters") {
  auto scn = sim::parse_scenario("[data]\nsamples = 500\nfeatures = 7\n[model]\nkind = \"mlp\"\n"
                                 "hidden = [16, 8]\nclasses = 3\n",
                                 "mlp.toml");
  auto in = sim::memory_inputs_of(scn);
  CHECK(in.rows == 500);
  CHECK(in.features == 7);
  CHECK(in.parameters == 16 * 8 + 8 * 17 + 3 * 9); // (7+1)x16, (16+1)x8, (8+1)x3
  CHECK(in.widths == 7 + 16 + 8 + 3);
  CHECK(sim::model_size_key(scn) == "model.hidden");
  CHECK(in.links == 2); // one server shard: a link each way
}

TEST_CASE("a million workers fit in 20 GB; ten million are refused at cluster.workers") {
  auto text = std::string{"[data]\nsamples = 2000000\nfeatures = 9\n"
                          "[cluster]\nworkers = 100\n"};
  auto scn = sim::parse_scenario(text, "many.toml");
  toml::table root = toml::parse(std::string_view{text}, std::string_view{"many.toml"});
  auto twenty_gigabytes = std::uint64_t{20'000'000'000};
  scn.cluster.workers = 1'000'000;
  CHECK_NOTHROW(sim::check_memory(scn, root, twenty_gigabytes));
  scn.cluster.workers = 10'000'000;
  try {
    sim::check_memory(scn, root, twenty_gigabytes);
    FAIL("no error");
  } catch (const sim::scenario_error& e) {
    CHECK(e.key == "cluster.workers");
    CHECK(e.line == 5);
    CHECK(std::string{e.what()}.find(", actors 88 GB)") != std::string::npos);
  }
}

namespace {

// Async softmax regression on 999 features and 100 classes: 10^5 parameters, batch 1.
const std::string big_model_text = "[data]\nsamples = 40000\nfeatures = 999\n"
                                   "[model]\nkind = \"softmax_regression\"\nclasses = 100\n"
                                   "[training]\nmode = \"async\"\nbatch_size = 1\n"
                                   "[cluster]\nworkers = 10\n";

} // namespace

TEST_CASE("workers that push big gradients as residuals count one message in flight, doubled") {
  auto scn = sim::parse_scenario(big_model_text, "big.toml");
  auto in = sim::memory_inputs_of(scn);
  CHECK(in.parameters == 100'000);
  CHECK(in.worker_copies == 0);
  CHECK(in.flight_copies == 2);
  // θ, 11 pooled messages (one per worker and one more; 1 MB of them would be 10),
  // checkpoint, round sum, and an optimizer's state (two vectors at most) with its
  // checkpoint copy.
  CHECK(sim::server_messages_kept(100'000, 10) == 11);
  CHECK(in.server_copies == 18);
  // Any of these and the worker keeps copies of its own, or resends.
  for (auto change : {"training.batch_size=2", "model.l2=0.01", "network.timeout=\"1s\"",
                      "training.mode=\"local_sgd\"", "training.mode=\"allreduce\"",
                      "cluster.servers=2", "model.classes=8", "training.local_update=true"}) {
    CAPTURE(change);
    auto other = sim::parse_scenario(big_model_text, "big.toml", {change});
    auto counts = sim::memory_inputs_of(other);
    CHECK(counts.worker_copies == 4);
    CHECK(counts.flight_copies == 4);
  }
  auto injected = sim::parse_scenario(
    big_model_text, "big.toml", {"training.inject_staleness={ dist = \"constant\", value = 5 }"});
  CHECK(sim::memory_inputs_of(injected).server_copies == 18 + 6); // versions 0 to 5 back
}

TEST_CASE("a server keeps 1 MB of parameter messages, or one per worker up to 17 and 256 MB") {
  CHECK(sim::server_messages_kept(4'000'000, 16) == 8);   // 256 MB of 32 MB vectors
  CHECK(sim::server_messages_kept(25'000'000, 64) == 4);  // at least 4 of 200 MB
  CHECK(sim::server_messages_kept(100'000, 4) == 10);   // 1 MB
  CHECK(sim::server_messages_kept(100'000, 10) == 11);  // a version on its way to each
  CHECK(sim::server_messages_kept(1'000'000, 16) == 17);
  CHECK(sim::server_messages_kept(1'000'000, 1'000) == 17);
  CHECK(sim::server_messages_kept(1'000'000, 1) == 4);  // at least 4
  CHECK(sim::server_messages_kept(10, 1'000'000) == 64); // at most 64
  CHECK(sim::server_messages_kept(0, 0) == 64);
}

TEST_CASE("the estimate counts residual pushes exactly where the workers push them") {
  // The workers decide at run time (sim::big_model_from and the model's residual_size);
  // the estimate decides from the scenario. An estimate that counted a residual push the
  // workers do not make would be too low.
  const std::string blobs2 = "generator = \"blobs\"\ncenters = 2\n";
  const std::string blobs3 = "generator = \"blobs\"\ncenters = 3\n";
  std::vector<std::pair<std::string, std::string>> kinds{ // data keys, model keys
    {"", "kind = \"linear_regression\""},
    {"generator = \"logistic\"\n", "kind = \"logistic_regression\""},
    {blobs3, "kind = \"softmax_regression\"\nclasses = 3"},
    {blobs2, "kind = \"softmax_regression\"\nclasses = 2\nl2 = 0.5"},
    {blobs3, "kind = \"mlp\"\nhidden = [4]\nclasses = 3"},
    {blobs3, "kind = \"mlp\"\nhidden = [1]\nclasses = 3"},
    {blobs2, "kind = \"mlp\"\nhidden = [4]\nactivation = \"tanh\"\nclasses = 2"}};
  int pushing = 0;
  for (const auto& [data_keys, model] : kinds) {
    for (auto batch : {1, 2}) {
      CAPTURE(model);
      CAPTURE(batch);
      auto text = "[data]\nsamples = 40\nfeatures = 8200\n" + data_keys + "[model]\n" + model
                  + "\n[training]\nmode = \"async\"\nbatch_size = " + std::to_string(batch)
                  + "\n[cluster]\nworkers = 2\n";
      auto scn = sim::parse_scenario(text, "kinds.toml");
      auto data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
      auto m = sim::make_model(scn.model, data->train.features());
      auto rows = sim::rows_of(data->train, 0, static_cast<std::size_t>(batch));
      bool pushes_residual = m->parameters() >= sim::big_model_from && m->residual_size(rows) > 0;
      CHECK(pushes_residual == (sim::memory_inputs_of(scn).worker_copies == 0));
      pushing += pushes_residual ? 1 : 0;
    }
  }
  CHECK(pushing == 6); // every kind at batch 1 but the one with l2
}

TEST_CASE("10,000 workers of a 10^5-parameter model at batch 1 fit in 24 GB, at batch 32 not") {
  toml::table root = toml::parse(std::string_view{big_model_text}, std::string_view{"big.toml"});
  auto scn = sim::parse_scenario(big_model_text, "big.toml");
  scn.cluster.workers = 10'000;
  auto e = sim::estimate_memory(sim::memory_inputs_of(scn));
  // Measured (tools: psim run, /usr/bin/time): 8.34 GB peak RSS over 60,000 updates with
  // 10 ms of latency, where every worker has parameters of its own on their way most of
  // the time (2.89 GB over 3,000 updates, most workers still on version 0's message).
  CHECK(e.total() >= 8'340'000'000);
  auto twenty_four_gigabytes = std::uint64_t{24'000'000'000};
  CHECK_NOTHROW(sim::check_memory(scn, root, twenty_four_gigabytes));
  scn.training.batch_size = 32;
  CHECK_THROWS_AS(sim::check_memory(scn, root, twenty_four_gigabytes), sim::scenario_error);
}

TEST_CASE("sizes are written in B, KB, MB and GB") {
  CHECK(sim::memory_text(512) == "512 B");
  CHECK(sim::memory_text(12'000'000'000) == "12 GB");
  CHECK(sim::memory_text(1'500'000) == "1.5 MB");
}

}
