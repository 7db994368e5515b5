// The scenarios on real data (heart_scale, MNIST) run through the command line and
// show what their opening comments say. MNIST comes from tools/fetch-data mnist,
// which tools/psim test runs first.
#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>

using namespace psim::test;

namespace {

/// What one run of a scenario file gave.
struct run {
  nlohmann::ordered_json summary;
  std::vector<std::map<std::string, std::string>> metrics;

  double final_accuracy() const { return summary["final"]["test_accuracy"].get<double>(); }

  /// test_accuracy of every metrics row from `first` on.
  std::vector<double> accuracies(std::size_t first = 0) const {
    std::vector<double> values;
    for (std::size_t i = first; i < metrics.size(); ++i)
      values.push_back(std::stod(metrics[i].at("test_accuracy")));
    return values;
  }

  /// The time of the first row whose test_accuracy reaches `level`.
  std::optional<double> time_to(double level) const {
    for (const auto& row : metrics)
      if (std::stod(row.at("test_accuracy")) >= level)
        return std::stod(row.at("time"));
    return std::nullopt;
  }
};

// Runs scenarios/<file> with `extra` arguments.
run run_file(const std::string& file, const std::string& extra = "") {
  auto dir = temp_folder("data-scenario");
  auto r = run_psim("run scenarios/" + file + " -o '" + dir + "' --quiet " + extra);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  return {read_summary(dir), read_metrics(dir)};
}

/// Largest minus smallest of `values`.
double spread(const std::vector<double>& values) {
  auto [low, high] = std::minmax_element(values.begin(), values.end());
  return *high - *low;
}

} // namespace

TEST_SUITE("scenarios.data") {

TEST_CASE("heart-logistic.toml: above 0.80 test accuracy by version 10, about 0.85 at the end") {
  auto heart = run_file("heart-logistic.toml");
  CHECK(heart.summary["stopped_by"] == "updates");
  CHECK(heart.final_accuracy() >= 0.80);
  CHECK(heart.final_accuracy() <= 0.90);
  REQUIRE(heart.metrics.size() > 2);
  CHECK(heart.metrics[1].at("version") == "10");
  CHECK(std::stod(heart.metrics[1].at("test_accuracy")) >= 0.80);
  double train = heart.summary["final"]["train_loss"].get<double>();
  double test = heart.summary["final"]["test_loss"].get<double>();
  CHECK(train < 0.4);
  CHECK(test < 0.4); // no overfitting: the test loss is as low as the train loss
  CHECK(heart.summary["params"].size() == 14);
}

TEST_CASE("mnist-softmax.toml: sync passes 0.88 in budget; async gets there sooner, noisily") {
  auto sync = run_file("mnist-softmax.toml");
  auto async = run_file("mnist-softmax.toml", "--set training.mode=async");
  CHECK(sync.summary["stopped_by"] == "time");
  CHECK(sync.summary["workers"].size() == 8);
  CHECK(sync.final_accuracy() >= 0.88);
  double sync_versions = sync.summary["version"].get<double>();
  double async_versions = async.summary["version"].get<double>();
  CHECK(sync_versions > 100);
  CHECK(sync_versions < 200);
  CHECK(async_versions > 10 * sync_versions);
  auto sync_time = sync.time_to(0.85);
  auto async_time = async.time_to(0.85);
  REQUIRE(sync_time);
  REQUIRE(async_time);
  CHECK(*async_time * 2 < *sync_time);
  // From the second half of the budget on: sync is smooth, async jumps by points.
  auto second_half = [](const run& r) {
    std::vector<double> values;
    for (const auto& row : r.metrics)
      if (std::stod(row.at("time")) >= 2.0)
        values.push_back(std::stod(row.at("test_accuracy")));
    return values;
  };
  CHECK(spread(second_half(sync)) < 0.02);
  CHECK(spread(second_half(async)) > 0.05);
}

TEST_CASE("mnist-mlp-staleness.toml: 32 stale workers fail where 4 learn; inverse lr helps") {
  auto stale = run_file("mnist-mlp-staleness.toml");
  auto fresh = run_file("mnist-mlp-staleness.toml", "--set cluster.workers=4");
  auto scaled = run_file("mnist-mlp-staleness.toml", "--set training.staleness_lr=inverse");
  for (const auto* r : {&stale, &fresh, &scaled})
    CHECK(r->summary["gradients"]["applied"] == 1500);
  CHECK(stale.summary["staleness"]["mean"].get<double>() > 25);
  CHECK(fresh.summary["staleness"]["mean"].get<double>() < 4);
  CHECK(fresh.final_accuracy() >= 0.90);
  auto stale_accuracy = stale.accuracies();
  CHECK(*std::max_element(stale_accuracy.begin(), stale_accuracy.end()) < 0.6);
  CHECK(stale.final_accuracy() < 0.2);
  CHECK(stale.summary["final"]["train_loss"].get<double>() > 1.0);
  CHECK(fresh.summary["final"]["train_loss"].get<double>() < 0.2);
  CHECK(scaled.final_accuracy() >= 0.85);
  CHECK(scaled.summary["time_s"].get<double>() * 6 < fresh.summary["time_s"].get<double>());
}

TEST_CASE("noniid-shards.toml: label-skewed shards end lower and swing more than shuffled") {
  auto skewed = run_file("noniid-shards.toml");
  auto shuffled = run_file("noniid-shards.toml", "--set data.sharding=shuffled");
  CHECK(skewed.summary["version"] == 1000);
  // The summary shows each shard's size and label mix: skewed shards are dominated by
  // few classes, shuffled ones are not.
  auto top_share = [](const nlohmann::ordered_json& worker) {
    auto labels = worker["labels"].get<std::vector<double>>();
    return *std::max_element(labels.begin(), labels.end()) / worker["rows"].get<double>();
  };
  REQUIRE(skewed.summary["workers"][0].contains("labels"));
  double skewed_top = 0, shuffled_top = 0;
  for (const auto& w : skewed.summary["workers"])
    skewed_top = std::max(skewed_top, top_share(w));
  for (const auto& w : shuffled.summary["workers"])
    shuffled_top = std::max(shuffled_top, top_share(w));
  CHECK(skewed_top > 2 * shuffled_top);
  CHECK(shuffled.final_accuracy() >= 0.88);
  CHECK(skewed.final_accuracy() < shuffled.final_accuracy() - 0.02);
  auto half = skewed.metrics.size() / 2;
  CHECK(spread(skewed.accuracies(half)) > 2 * spread(shuffled.accuracies(half)));
  CHECK(spread(skewed.accuracies(half)) > 0.035);
  auto sync_skewed = run_file("noniid-shards.toml", "--set training.mode=sync");
  auto sync_shuffled =
    run_file("noniid-shards.toml", "--set training.mode=sync --set data.sharding=shuffled");
  CHECK(sync_skewed.final_accuracy() > sync_shuffled.final_accuracy() - 0.02);
}

}
