// The scenarios of the consistency models run through the command line and show what
// their opening comments say.
#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace psim::test;

namespace {

// Runs scenarios/<file> with `extra` arguments; returns its summary.
nlohmann::ordered_json run_file(const std::string& file, const std::string& extra = "") {
  auto dir = temp_folder("modes");
  auto r = run_psim("run scenarios/" + file + " -o '" + dir + "' --quiet " + extra);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  return read_summary(dir);
}

double number(const nlohmann::ordered_json& x) {
  return x.get<double>();
}

std::vector<double> worker_gradients(const nlohmann::ordered_json& s) {
  std::vector<double> counts;
  for (const auto& w : s["workers"])
    counts.push_back(number(w["gradients"]));
  return counts;
}

} // namespace

TEST_SUITE("scenarios.modes") {

TEST_CASE("ssp.toml: the straggler keeps up within the bound; async leaves it behind") {
  auto ssp = worker_gradients(run_file("ssp.toml"));
  auto async = run_file("ssp.toml", "--set training.mode=async");
  auto [low, high] = std::minmax_element(ssp.begin(), ssp.end());
  CHECK(*high - *low <= 2 + 2);
  auto counts = worker_gradients(async);
  CHECK(counts[7] * 2 < counts[0]);
  CHECK(number(async["staleness"]["max"]) > 2 * number(run_file("ssp.toml")["staleness"]["max"]));
}

TEST_CASE("ksync.toml: backups make rounds much shorter and their work is counted") {
  auto ksync = run_file("ksync.toml");
  auto sync = run_file("ksync.toml", "--set training.mode=sync");
  CHECK(number(ksync["time_s"]) < 0.5 * number(sync["time_s"]));
  CHECK(number(ksync["gradients"]["abandoned"]) > 0);
  CHECK(number(ksync["gradients"]["applied"]) == 6 * 1000);
}

TEST_CASE("kasync.toml: 4 gradients per version, staleness between sync and async") {
  auto kasync = run_file("kasync.toml");
  CHECK(number(kasync["gradients"]["applied"]) == 4 * 1000);
  auto mean = number(kasync["staleness"]["mean"]);
  CHECK(mean > 0);
  CHECK(mean < number(run_file("kasync.toml", "--set training.mode=async")["staleness"]["mean"]));
}

TEST_CASE("local-sgd.toml: on slow links local steps beat sync in the same time") {
  auto local = run_file("local-sgd.toml");
  auto sync = run_file("local-sgd.toml", "--set training.mode=sync --set training.local_steps=1");
  CHECK(number(local["final"]["train_loss"]) < 0.5 * number(sync["final"]["train_loss"]));
  auto per_gradient = [](const nlohmann::ordered_json& s) {
    return number(s["messages"]["sent"]) / number(s["gradients"]["applied"]);
  };
  CHECK(per_gradient(local) * 7 < per_gradient(sync));
}

TEST_CASE("allreduce.toml: identical replicas equal to sync, slower rounds") {
  auto ring = run_file("allreduce.toml");
  auto sync = run_file("allreduce.toml", "--set training.mode=sync");
  for (const auto& w : ring["workers"])
    CHECK(w["params"] == ring["workers"][0]["params"]);
  auto a = ring["params"].get<std::vector<double>>();
  auto b = sync["params"].get<std::vector<double>>();
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    CHECK(a[i] == doctest::Approx(b[i]).epsilon(1e-12));
  CHECK(number(ring["time_s"]) > number(sync["time_s"]));
}

TEST_CASE("modes-compared.toml: waiting schemes apply the fewest gradients, async the most") {
  std::map<std::string, double> applied;
  for (auto mode : {"sync", "async", "ssp", "ksync", "kasync", "local_sgd", "allreduce"})
    applied[mode] = number(
      run_file("modes-compared.toml", std::string{"--set training.mode="} + mode)["gradients"]["applied"]);
  for (auto mode : {"ssp", "ksync", "kasync", "local_sgd"}) {
    CAPTURE(mode);
    CHECK(applied[mode] > applied["sync"]);
    CHECK(applied[mode] > applied["allreduce"]);
    CHECK(applied[mode] < applied["async"]);
  }
}

}
