// Mitliagkas et al. 2016, "Asynchrony begets momentum", recovered from params.csv of
// scenarios/asynchrony-momentum.toml over many seeds: with M workers and exponential
// compute, E[w_{t+1} - w_t] = (1 - 1/M) E[w_t - w_{t-1}] - (alpha/M) E[f'(w_t)] for
// t >= 3M, within four standard errors. The suite runs 300 seeds; the full check:
//   PSIM_MOMENTUM_SEEDS=2000 build/tests/psim_actor_tests -tc='*begets momentum*'
#include "actors/runtime/runtime.hpp"
#include "sim/data/data.hpp"
#include "sim/scenario/scenario.hpp"
#include "tests/support/run_files.hpp"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

using namespace psim;

namespace {

const std::string scenario_file = PSIM_SOURCE_DIR "/scenarios/asynchrony-momentum.toml";

/// The weight at every version 0..T of params.csv in `dir` (one row per version).
std::vector<double> weights_of(const std::string& dir) {
  std::istringstream in(test::read_text(dir + "/params.csv"));
  std::string line;
  std::getline(in, line);
  REQUIRE(line == "version,time,p0");
  std::vector<double> w;
  while (std::getline(in, line)) {
    auto first = line.find(',');
    REQUIRE(std::stoul(line.substr(0, first)) == w.size());
    w.push_back(std::stod(line.substr(line.find(',', first + 1) + 1)));
  }
  return w;
}

/// f'(w) of the mean squared error on the training rows, computed from the data.
struct gradient_of_data {
  double xx = 0, xy = 0; // means of x^2 and x*y
  double operator()(double w) const { return 2 * (xx * w - xy); }
};

gradient_of_data gradient_of(const sim::scenario& scn) {
  auto data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  gradient_of_data g;
  auto n = static_cast<double>(data->train.rows());
  for (Eigen::Index i = 0; i < data->train.x.rows(); ++i) {
    g.xx += data->train.x(i, 0) * data->train.x(i, 0) / n;
    g.xy += data->train.x(i, 0) * data->train.y(i) / n;
  }
  return g;
}

/// Sums over seeds, per version t, of the residual of the momentum identity with
/// momentum `mu`, of its square, and of the step w_{t+1} - w_t.
struct residuals {
  std::vector<double> sum, square, step;
  std::vector<double> pooled; // per seed: the residual averaged over the t tested
};

} // namespace

TEST_SUITE("actors.asynchrony_momentum") {

TEST_CASE("asynchrony begets momentum: async's mean step is momentum 1 - 1/M's for t >= 3M") {
  const char* env = std::getenv("PSIM_MOMENTUM_SEEDS");
  const std::size_t seeds = env != nullptr ? std::stoul(env) : 300;
  auto base = sim::load_scenario(scenario_file);
  const double m = static_cast<double>(base.cluster.workers);
  const double alpha = base.training.learning_rate;
  const auto first = static_cast<std::size_t>(3 * m);
  const auto last = static_cast<std::size_t>(*base.run.stop.updates) - 1; // t + 1 <= T
  // The identity (mu = 1 - 1/M), and a wrong momentum (1 - 2/M) it must tell apart.
  std::vector<double> momenta{1 - 1 / m, 1 - 2 / m};
  std::vector<residuals> found(2);
  for (auto& r : found)
    r.sum = r.square = r.step = std::vector<double>(last + 1, 0.0);
  for (std::size_t seed = 0; seed < seeds; ++seed) {
    auto scn = sim::load_scenario(scenario_file, {"seed=" + std::to_string(seed)});
    auto dir = test::temp_folder("momentum");
    actors::run_scenario(scn, actors::run_options{dir, false});
    auto w = weights_of(dir);
    std::filesystem::remove_all(dir);
    REQUIRE(w.size() == last + 2);
    auto grad = gradient_of(scn);
    for (std::size_t k = 0; k < 2; ++k) {
      double pooled = 0;
      for (std::size_t t = first; t <= last; ++t) {
        double r = (w[t + 1] - w[t]) - momenta[k] * (w[t] - w[t - 1]) + alpha / m * grad(w[t]);
        found[k].sum[t] += r;
        found[k].square[t] += r * r;
        found[k].step[t] += w[t + 1] - w[t];
        pooled += r / static_cast<double>(last + 1 - first);
      }
      found[k].pooled.push_back(pooled);
    }
  }
  auto n = static_cast<double>(seeds);
  std::vector<double> z(2);
  for (std::size_t k = 0; k < 2; ++k) {
    double mean = 0, square = 0;
    for (double p : found[k].pooled) {
      mean += p / n;
      square += p * p / n;
    }
    z[k] = std::abs(mean) / std::sqrt((square - mean * mean) / (n - 1));
  }
  // The deviation in words: the mean residual against the mean step, over the t tested.
  double residual = 0, step = 0, worst = 0;
  for (std::size_t t = first; t <= last; ++t) {
    const auto& r = found[0];
    double mean = r.sum[t] / n;
    double se = std::sqrt((r.square[t] / n - mean * mean) / (n - 1));
    residual += std::abs(mean);
    step += std::abs(r.step[t] / n);
    worst = std::max(worst, std::abs(mean) / se);
    CHECK(std::abs(mean) < 4 * se);
  }
  MESSAGE(seeds << " seeds: pooled residual " << z[0] << " standard errors from 0; per t at most "
          << worst << "; mean |residual| / mean |step| = " << residual / step
          << "; momentum 1 - 2/M is " << z[1] << " standard errors off");
  CHECK(z[0] < 4);
  CHECK(z[1] > 8);
}

}
