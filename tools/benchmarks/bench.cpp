// Benchmarks (not tests): async descent with 100 workers, 10 features, batch 1, under
// the virtual and the real clock, against a bare loop doing the same arithmetic; then
// the MNIST softmax scenario against its bare loop (mnist_bench.cpp).
// Run: tools/bench            (200,000 updates each)
//      tools/bench --quick    (20,000 updates each)
#include "actors/runtime/runtime.hpp"
#include "tools/benchmarks/mnist_bench.hpp"
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/scenario/scenario.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

using namespace psim;

std::string scenario_text(std::uint64_t updates, const char* clock) {
  return fmt::format(R"(
name = "bench-async"
seed = 1
[run]
clock = "{}"
stop = {{ updates = {} }}
eval_every = {}
[data]
samples = 10000
features = 10
noise = 0.1
[training]
mode = "async"
learning_rate = 0.001
batch_size = 1
[cluster]
workers = 100
[compute]
time = {{ dist = "exponential", mean = "1ms" }}
[network]
latency = "100us"
)",
                     clock, updates, updates / 10);
}

struct result {
  double wall = 0;
  std::uint64_t updates = 0;
  std::uint64_t messages = 0;
  std::string stopped_by = "updates";
};

result run_actors(std::uint64_t updates, const char* clock) {
  auto scn = sim::parse_scenario(scenario_text(updates, clock), "bench-async.toml");
  auto dir = (std::filesystem::temp_directory_path() / "psim-bench").string();
  std::filesystem::create_directories(dir);
  sim::shared_data(scn.data, scn.seed, scn.cluster.workers); // set-up is not timed
  auto t0 = std::chrono::steady_clock::now();
  actors::run_scenario(scn, actors::run_options{dir, false});
  auto t1 = std::chrono::steady_clock::now();
  std::ifstream in(dir + "/summary.json");
  auto s = nlohmann::json::parse(in);
  return {std::chrono::duration<double>(t1 - t0).count(),
          s["gradients"]["applied"].get<std::uint64_t>(),
          s["messages"]["sent"].get<std::uint64_t>(), s["stopped_by"].get<std::string>()};
}

// The same arithmetic without actors: each update one worker's batch-1 gradient.
result run_bare_loop(std::uint64_t updates) {
  auto scn = sim::parse_scenario(scenario_text(updates, "virtual"), "bench-async.toml");
  auto data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  auto model = sim::make_model(scn.model, data->train.features());
  sim::vector theta = sim::vector::Zero(static_cast<Eigen::Index>(model->parameters()));
  sim::vector grad = theta;
  std::vector<std::size_t> cursor(data->shards.size(), 0);
  auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t i = 0; i < updates; ++i) {
    auto w = i % data->shards.size();
    const auto& shard = data->shards[w];
    auto row = shard.begin + cursor[w]++ % shard.count;
    model->gradient(theta, sim::rows_of(data->train, row, 1), grad);
    theta -= scn.training.learning_rate * grad;
  }
  auto t1 = std::chrono::steady_clock::now();
  if (!theta.allFinite())
    fmt::print("bare loop diverged\n");
  return {std::chrono::duration<double>(t1 - t0).count(), updates, 0};
}

void print_row(const char* label, const result& r) {
  fmt::print("{:<34} {:>9.3f} s {:>12.0f} updates/s {:>12.0f} link msgs/s  ({} updates, "
             "stopped by {})\n",
             label, r.wall, static_cast<double>(r.updates) / r.wall,
             static_cast<double>(r.messages) / r.wall, r.updates, r.stopped_by);
}

} // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::string{argv[1]} == "--quick";
  std::uint64_t updates = quick ? 20'000 : 200'000;
  fmt::print("async, 100 workers, 10 features, batch 1, {} updates\n", updates);
  auto a = run_actors(updates, "virtual");
  print_row("(a) actors, virtual clock", a);
  auto b = run_actors(updates, "real");
  print_row("(b) actors, real clock", b);
  auto c = run_bare_loop(updates);
  print_row("(c) bare loop, same arithmetic", c);
  fmt::print("ratio (a)/(c) wall time: {:.1f}\n", a.wall / c.wall);
  bench::run_mnist_bench(quick);
  return 0;
}
