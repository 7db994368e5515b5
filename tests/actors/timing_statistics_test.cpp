// Closed-form results of the distributed-SGD literature, recovered from the simulator
// within sampling error (fixed seeds; bounds of four standard errors).
#include "tests/support/scenario_run.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

using namespace psim;
using test::run_text;

namespace {

// Exponential compute times (mean 10 ms), an ideal network, tiny model.
const std::string base = R"(
seed = 3
[run]
eval_every = 1000000
[data]
samples = 800
features = 2
[training]
learning_rate = 0.01
batch_size = 4
[cluster]
workers = 8
[compute]
time = { dist = "exponential", mean = "10ms" }
[network]
latency = "0s"
bandwidth = 1e18
)";

// Mean staleness over the second half of a run of `updates` versions (rows every 100
// versions, each covering exactly k * 100 applied gradients), under `overrides`.
double late_staleness(const std::vector<std::string>& overrides, int updates) {
  auto all = overrides;
  all.push_back("run.stop={updates=" + std::to_string(updates) + "}");
  all.push_back("run.eval_every=100");
  auto dir = run_text(base, all);
  double sum = 0;
  int rows = 0;
  for (const auto& row : test::read_metrics(dir))
    if (std::stoi(row.at("version")) > updates / 2) {
      sum += std::stod(row.at("staleness_mean"));
      ++rows;
    }
  std::filesystem::remove_all(dir);
  REQUIRE(rows == updates / 200);
  return sum / rows;
}

// Sum of 1/i^p for i in [from, to].
double harmonic(int from, int to, int p) {
  double sum = 0;
  for (int i = from; i <= to; ++i)
    sum += 1 / std::pow(i, p);
  return sum;
}

} // namespace

TEST_SUITE("actors.timing_statistics") {

TEST_CASE("a sync round lasts the maximum of N exponential compute times: mean mu H_N") {
  const int rounds = 4000;
  auto s = test::read_summary(run_text(
    base, {"training.mode=sync", "run.stop={updates=" + std::to_string(rounds) + "}"}));
  double mean_round = s["time_s"].get<double>() / rounds;
  double expected = 0.01 * harmonic(1, 8, 1);                 // 27.18 ms
  double se = 0.01 * std::sqrt(harmonic(1, 8, 2) / rounds); // var of the max: mu^2 sum 1/i^2
  CHECK(std::abs(mean_round - expected) < 4 * se);
}

TEST_CASE("a K-of-N round lasts the K-th of N exponential times: mean mu sum_{N-K+1}^N 1/i") {
  const int rounds = 4000;
  for (int k : {2, 6}) {
    CAPTURE(k);
    auto s = test::read_summary(
      run_text(base, {"training.mode=ksync", "training.k=" + std::to_string(k),
                      "run.stop={updates=" + std::to_string(rounds) + "}"}));
    double mean_round = s["time_s"].get<double>() / rounds;
    double expected = 0.01 * harmonic(8 - k + 1, 8, 1);
    double se = 0.01 * std::sqrt(harmonic(8 - k + 1, 8, 2) / rounds);
    CHECK(std::abs(mean_round - expected) < 4 * se);
  }
}

TEST_CASE("async staleness under exponential compute is geometric with mean N-1") {
  // Each of the N workers finishes next with probability 1/N, so a gradient misses
  // k updates with probability (1/N)(1 - 1/N)^k.
  const int updates = 40000;
  auto s = test::read_summary(run_text(
    base, {"training.mode=async", "run.stop={updates=" + std::to_string(updates) + "}"}));
  auto hist = s["staleness"]["histogram"].get<std::vector<double>>();
  double total = 0;
  for (double count : hist)
    total += count;
  const double p = 1.0 / 8;
  for (int k : {0, 1, 3, 7, 14}) {
    CAPTURE(k);
    double expected = p * std::pow(1 - p, k);
    double observed = hist.at(static_cast<std::size_t>(k)) / total;
    CHECK(std::abs(observed - expected) < 4 * std::sqrt(expected * (1 - expected) / total));
  }
  // Mean N - 1 = 7, variance N(N - 1) = 56.
  CHECK(std::abs(s["staleness"]["mean"].get<double>() - 7) < 4 * std::sqrt(56.0 / total));
}

TEST_CASE("mean staleness tends to N/K - 1 under kasync and N - 1 under async, whatever the "
          "compute distribution") {
  // Each update applies K gradients and answers those K workers, so a worker's
  // gradient spans N/K updates on average: tau + 1 = N/K. The second half of a run is
  // in the steady state, where the window's boundary effects cancel in expectation;
  // seeds give the standard error.
  const int seeds = 8, updates = 1200;
  for (const char* time : {R"(compute.time={dist="exponential", mean="10ms"})",
                           R"(compute.time={dist="uniform", min="5ms", max="15ms"})"})
    for (auto [mode, workers, k] : {std::tuple{"async", 8, 1}, std::tuple{"kasync", 8, 1},
                                    std::tuple{"kasync", 8, 2}, std::tuple{"kasync", 8, 4},
                                    std::tuple{"kasync", 6, 4}}) {
      std::string compute = time, name = mode;
      CAPTURE(compute);
      CAPTURE(name);
      CAPTURE(workers);
      CAPTURE(k);
      double sum = 0, square = 0;
      for (int seed = 0; seed < seeds; ++seed) {
        double mean = late_staleness(
          {time, std::string("training.mode=") + mode, "cluster.workers=" + std::to_string(workers),
           "training.k=" + std::to_string(k), "seed=" + std::to_string(seed)},
          updates);
        sum += mean;
        square += mean * mean;
      }
      double mean = sum / seeds;
      double se = std::sqrt(std::max(0.0, square / seeds - mean * mean) / (seeds - 1));
      double expected = static_cast<double>(workers) / k - 1;
      CAPTURE(mean);
      CAPTURE(se);
      // <=: some cases are exact in every seed (N = 6, K = 4 gives 0.5 with se 0).
      CHECK(std::abs(mean - expected) <= 4 * se);
    }
}

}
