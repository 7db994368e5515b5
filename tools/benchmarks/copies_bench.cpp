// Benchmark (not a test): what the actors add to big models' arithmetic. A softmax
// regression on 999 features (d = 10^5 with 100 classes, 10^6 with 1,000), and an MLP
// (100 relu units, 10 classes: d = 101,010), async, 16 workers, virtual clock, against
// bare loops that compute as many gradients of the same size on the same shards, apply
// each one and evaluate the same two metrics rows: one applies each gradient at once,
// one a round of workers later, so that 16 gradients are in memory at a time as in the
// run, and at batch 1 one steps θ by each gradient a part at a time from its residual,
// as psim's server does. Part of tools/bench.
#include "tools/benchmarks/copies_bench.hpp"

#include "actors/runtime/runtime.hpp"
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/model/residual_gradient.hpp"
#include "sim/output/evaluation.hpp"
#include "sim/scenario/scenario.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>

namespace psim::bench {

namespace {

// CPU time of the process, not wall time: on a shared machine it does not count the
// time other processes hold the cores (the run is one thread under the virtual clock).
double cpu_seconds() {
  return static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
}

/// One case of the benchmark.
struct copies_case {
  std::size_t classes;      ///< 100: d = 10^5; 1,000: d = 10^6
  std::size_t batch;        ///< rows per gradient
  std::uint64_t updates;    ///< run.stop.updates
  std::size_t hidden = 0;   ///< an MLP's hidden units; 0: softmax regression
};

// The [model] table of `c`.
std::string model_text(const copies_case& c) {
  if (c.hidden == 0)
    return fmt::format("kind = \"softmax_regression\"\nclasses = {}", c.classes);
  return fmt::format("kind = \"mlp\"\nhidden = [{}]\nclasses = {}", c.hidden, c.classes);
}

std::string scenario_text(const copies_case& c) {
  return fmt::format(R"(
name = "bench-copies"
seed = 1
[run]
clock = "virtual"
stop = {{ updates = {0} }}
eval_every = {0}
[data]
generator = "blobs"
samples = 512
features = 999
noise = 1.0
[model]
{1}
[training]
mode = "async"
learning_rate = 0.01
batch_size = {2}
[cluster]
workers = 16
[compute]
time = {{ dist = "exponential", mean = "1ms" }}
[network]
latency = "100us"
)",
                     c.updates, model_text(c), c.batch);
}

/// What the actor run did, so that the bare loop can do the same.
struct actor_run {
  double cpu = 0;              ///< seconds of CPU time
  std::uint64_t computed = 0; ///< gradients computed (applied or still in flight)
};

actor_run run_actors(const sim::scenario& scn) {
  auto dir = (std::filesystem::temp_directory_path() / "psim-bench-copies").string();
  std::filesystem::create_directories(dir);
  auto start = cpu_seconds();
  actors::run_scenario(scn, actors::run_options{dir, false});
  actor_run r;
  r.cpu = cpu_seconds() - start;
  std::ifstream in(dir + "/summary.json");
  r.computed = nlohmann::json::parse(in)["gradients"]["computed"].get<std::uint64_t>();
  return r;
}

// `gradients` gradients without actors, worker by worker in turn, each on the next
// batch of that worker's shard; two evaluations, as the run's two metrics rows. Each
// gradient is applied `delay` gradients after it was computed: 0 = at once, one per
// worker = as async holds them in flight (the run's mean staleness is about that).
// `fused` (with delay 0, where the gradient has a residual form): the gradient is never
// written whole; θ is stepped by it a part at a time, as psim's server does.
double run_bare_loop(const sim::scenario& scn, std::uint64_t gradients, std::size_t delay,
                     bool fused = false) {
  auto data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  auto model = sim::make_model(scn.model, data->train.features());
  sim::random_stream init(scn.seed, "init");
  sim::vector theta = model->initial_parameters(init);
  std::vector<sim::vector> in_flight(std::max<std::size_t>(delay, 1),
                                     sim::vector(theta.size()));
  std::vector<std::size_t> cursor(data->shards.size(), 0);
  sim::vector residual, part;
  auto batch = scn.training.batch_size;
  auto rate = scn.training.learning_rate;
  auto start = cpu_seconds();
  auto first = sim::evaluate(*model, *data, theta);
  for (std::uint64_t i = 0; i < gradients + delay; ++i) {
    auto& grad = in_flight[i % in_flight.size()];
    if (delay > 0 && i >= delay) // the one computed `delay` gradients ago
      theta -= rate * grad;
    if (i >= gradients)
      continue;
    auto w = i % data->shards.size();
    const auto& shard = data->shards[w];
    auto rows = std::min(batch, shard.count);
    auto begin = (cursor[w]++ * rows) % (shard.count - rows + 1);
    auto b = sim::rows_of(data->train, shard.begin + begin, rows);
    if (fused && model->residual_size(b) > 0) {
      residual.resize(model->residual_size(b));
      model->residual(theta, b, residual);
      sim::for_each_part({*model, residual, b}, theta.size(), part,
                         [&](Eigen::Index at, const auto& g) {
                           theta.segment(at, g.size()) -= rate * g;
                         });
      continue;
    }
    model->gradient(theta, b, grad);
    if (delay == 0)
      theta -= rate * grad;
  }
  auto last = sim::evaluate(*model, *data, theta);
  auto cpu = cpu_seconds() - start;
  if (!std::isfinite(first.train_loss + last.train_loss))
    fmt::print("bare loop diverged\n");
  return cpu;
}

void run_case(const copies_case& c, int repeats) {
  auto scn = sim::parse_scenario(scenario_text(c), "bench-copies.toml");
  sim::shared_data(scn.data, scn.seed, scn.cluster.workers); // set-up is not timed
  actor_run best;
  double at_once = 0, in_flight = 0, fused = 0; // the three bare loops
  auto workers = scn.cluster.workers;
  for (int i = 0; i < repeats; ++i) { // interleaved, so that load changes hit all four
    auto a = run_actors(scn);
    if (i == 0 || a.cpu < best.cpu)
      best = a;
    auto l = run_bare_loop(scn, a.computed, 0);
    at_once = i == 0 ? l : std::min(at_once, l);
    l = run_bare_loop(scn, a.computed, workers);
    in_flight = i == 0 ? l : std::min(in_flight, l);
    l = run_bare_loop(scn, a.computed, 0, true);
    fused = i == 0 ? l : std::min(fused, l);
  }
  auto d = sim::make_model(scn.model, 999)->parameters();
  fmt::print("{} d = {:>9}, batch {:>2}, {:>6} gradients: psim {:>7.3f} s, bare loop {:>7.3f} s "
             "(ratio {:.2f}), with {} in flight {:>7.3f} s (ratio {:.2f})",
             c.hidden == 0 ? "softmax" : "mlp    ", d, c.batch, best.computed, best.cpu, at_once,
             best.cpu / at_once, workers, in_flight, best.cpu / in_flight);
  if (c.batch == 1)
    fmt::print(", stepping by parts {:>7.3f} s (ratio {:.2f})", fused, best.cpu / fused);
  fmt::print("\n");
}

} // namespace

void run_copies_bench(bool quick) {
  int repeats = quick ? 1 : 3;
  std::uint64_t scale = quick ? 1 : 4;
  fmt::print("\nbig models: async, 16 workers, softmax regression or MLP, 999 features, "
             "virtual clock, against bare loops (CPU time, best of {})\n", repeats);
  // PSIM_BENCH_COPIES_CLASSES=100 runs the d = 10^5 cases alone (1000: 10^6 alone; 10:
  // the MLP alone).
  const char* only = std::getenv("PSIM_BENCH_COPIES_CLASSES");
  for (auto c : {copies_case{100, 1, 2'000 * scale}, copies_case{100, 32, 400 * scale},
                 copies_case{1000, 1, 400 * scale}, copies_case{1000, 32, 100 * scale},
                 copies_case{10, 1, 2'000 * scale, 100}})
    if (only == nullptr || std::to_string(c.classes) == only)
      run_case(c, repeats);
}

} // namespace psim::bench
