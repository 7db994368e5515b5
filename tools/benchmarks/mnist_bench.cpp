// Benchmark (not a test): scenarios/mnist-softmax.toml (sync, 8 workers, softmax
// regression on MNIST) under the virtual clock, against a bare loop that computes the
// same gradients on the same batches, applies the same averaged updates and evaluates
// the same metrics rows, without actors. Part of tools/bench; needs data/mnist.bin.
#include "tools/benchmarks/mnist_bench.hpp"
#include "sim/training/sampling/minibatches.hpp"

#include "actors/runtime/runtime.hpp"
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/scenario/scenario.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace psim::bench {

namespace {

using clock_type = std::chrono::steady_clock;

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

/// What the actor run did, so that the bare loop can do the same.
struct actor_run {
  double wall = 0;
  std::uint64_t versions = 0;
  std::size_t rows = 0; ///< metrics rows (evaluations)
  double train_loss = 0;
};

actor_run run_actors(const sim::scenario& scn) {
  auto dir = (std::filesystem::temp_directory_path() / "psim-bench-mnist").string();
  std::filesystem::create_directories(dir);
  auto start = clock_type::now();
  actors::run_scenario(scn, actors::run_options{dir, false});
  actor_run r;
  r.wall = seconds_since(start);
  std::ifstream in(dir + "/summary.json");
  auto s = nlohmann::json::parse(in);
  r.versions = s["version"].get<std::uint64_t>();
  r.train_loss = s["final"]["train_loss"].get<double>();
  std::ifstream metrics(dir + "/metrics.csv");
  for (std::string line; std::getline(metrics, line);)
    ++r.rows;
  r.rows -= 1; // the header
  return r;
}

struct loop_result {
  double wall = 0;
  double eval_wall = 0;
  double train_loss = 0;
};

// Sync rounds without actors: every worker's gradient on the same parameters, their
// batch-weighted mean applied, a metrics row's three evaluations every eval_every.
loop_result run_bare_loop(const sim::scenario& scn, const actor_run& target) {
  auto data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  auto model = sim::make_model(scn.model, data->train.features());
  sim::random_stream init(scn.seed, "init");
  sim::vector theta = model->initial_parameters(init);
  sim::vector grad(theta.size());
  sim::vector sum(theta.size());
  // Each worker's batches, drawn as the worker actor draws them: the scenario's sampling
  // over its shard, with its own "batches/worker-i" stream.
  std::vector<sim::minibatches> cursors;
  for (std::size_t w = 0; w < data->shards.size(); ++w)
    cursors.emplace_back(scn.training.sampling, data->shards[w], scn.training.batch_size,
                         sim::random_stream{scn.seed, fmt::format("batches/worker-{}", w)});
  loop_result r;
  auto evaluate = [&] {
    auto start = clock_type::now();
    r.train_loss = model->loss(theta, sim::all_rows(data->train));
    model->loss(theta, sim::all_rows(data->test));
    model->accuracy(theta, sim::all_rows(data->test));
    r.eval_wall += seconds_since(start);
  };
  auto start = clock_type::now();
  evaluate();
  std::size_t rows = 1;
  for (std::uint64_t v = 1; v <= target.versions; ++v) {
    sum.setZero();
    double samples = 0;
    for (auto& cursor : cursors) {
      auto b = cursor.next(data->train);
      model->gradient(theta, b, grad);
      sum += static_cast<double>(b.rows()) * grad;
      samples += static_cast<double>(b.rows());
    }
    sum /= samples; // the round's average, then the SGD step, as the server does
    theta -= scn.training.learning_rate * sum;
    if ((v % scn.run.eval_every == 0 || v == target.versions) && rows < target.rows) {
      evaluate();
      ++rows;
    }
  }
  r.wall = seconds_since(start);
  return r;
}

} // namespace

void run_mnist_bench(bool quick) {
  ::setenv("PSIM_HOME", PSIM_SOURCE_DIR, 0); // finds data/mnist.bin from any folder
  auto scn = sim::load_scenario(PSIM_SOURCE_DIR "/scenarios/mnist-softmax.toml",
                                {"training.mode=sync"});
  try {
    sim::shared_data(scn.data, scn.seed, scn.cluster.workers); // loading is not timed
  } catch (const sim::data_error& e) {
    fmt::print("\nmnist-softmax: skipped ({}: {})\n", e.file, e.what());
    return;
  }
  int repeats = quick ? 1 : 5;
  actor_run best_actors;
  loop_result best_loop;
  for (int i = 0; i < repeats; ++i) {
    auto a = run_actors(scn);
    if (i == 0 || a.wall < best_actors.wall)
      best_actors = a;
    auto l = run_bare_loop(scn, a);
    if (i == 0 || l.wall < best_loop.wall)
      best_loop = l;
  }
  fmt::print("\nmnist-softmax.toml: sync, 8 workers, batch 32, softmax regression on 8,000 "
             "MNIST rows, {} versions, {} metrics rows (best of {})\n",
             best_actors.versions, best_actors.rows, repeats);
  fmt::print("{:<42} {:>8.3f} s\n", "(d) actors, virtual clock", best_actors.wall);
  fmt::print("{:<42} {:>8.3f} s  (of which evaluation {:.3f} s)\n",
             "(e) bare loop, same gradients and rows", best_loop.wall, best_loop.eval_wall);
  fmt::print("same trajectory: final train_loss {} (actors) and {} (loop)\n",
             best_actors.train_loss, best_loop.train_loss);
  fmt::print("ratio (d)/(e) wall time: {:.3f}; without evaluation: {:.3f}\n",
             best_actors.wall / best_loop.wall,
             (best_actors.wall - best_loop.eval_wall) / (best_loop.wall - best_loop.eval_wall));
}

} // namespace psim::bench
