// A loss stop (run.stop.loss) under every mode reports the first metrics row at or
// below the target: the last row written, and the summary's version, time, losses and
// parameters are that row's, even where async applies more versions at that instant.
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/output/evaluation.hpp"
#include "tests/support/scenario_run.hpp"

#include <doctest/doctest.h>

using namespace psim;
using test::run_text;

namespace {

// Four workers at equal constant compute: async applies four versions at each instant.
constexpr const char* fixture = R"(
seed = 5
[run]
stop = { loss = 0.05, updates = 10000 }
eval_every = 1
[data]
samples = 200
features = 3
weights = [1.5, -2.0, 0.5]
bias = 0.25
noise = 0.05
[training]
learning_rate = 0.05
batch_size = 8
[cluster]
workers = 4
[compute]
time = "10ms"
[network]
latency = "0s"
bandwidth = 1e18
)";

} // namespace

TEST_SUITE("actors.loss_stop") {

TEST_CASE("a loss stop reports the first row at or below the target in every mode") {
  for (auto mode : {"sync", "async", "ssp", "ksync", "kasync", "local_sgd", "allreduce"}) {
    CAPTURE(mode);
    auto dir = run_text(fixture, {std::string{"training.mode="} + mode, "training.k=2"});
    auto s = test::read_summary(dir);
    REQUIRE(s["stopped_by"] == "loss");
    auto rows = test::read_metrics(dir);
    REQUIRE(rows.size() >= 2);
    auto last = rows.back();
    CHECK(std::stod(last["train_loss"]) <= 0.05);
    CHECK(std::stod(rows[rows.size() - 2]["train_loss"]) > 0.05);
    CHECK(s["version"] == std::stoull(last["version"]));
    CHECK(s["time_s"].get<double>() == std::stod(last["time"]));
    CHECK(s["final"]["train_loss"].get<double>() == std::stod(last["train_loss"]));
    // The summary's parameters are the row's: evaluated, they give its train loss.
    auto params = s["params"].get<std::vector<double>>();
    if (params.empty())
      continue; // allreduce: the parameters are the workers' replicas
    auto scn = sim::parse_scenario(fixture, "t.toml", {std::string{"training.mode="} + mode});
    auto data = sim::prepare_data(scn.data, scn.seed, 4);
    auto model = sim::make_model(scn.model, data.train.features());
    sim::vector theta = Eigen::Map<const sim::vector>(params.data(),
                                                      static_cast<Eigen::Index>(params.size()));
    CHECK(sim::evaluate(*model, data, theta).train_loss
          == doctest::Approx(s["final"]["train_loss"].get<double>()).epsilon(1e-12));
  }
}

}
