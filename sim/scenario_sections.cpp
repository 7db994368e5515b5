// The schema of a scenario file: every table, key, default and allowed value, read
// into the scenario struct (the reference for users is docs/scenario-reference.md).
#include "sim/scenario_reader.hpp"

#include <fmt/format.h>

#include <array>
#include <filesystem>

namespace psim::sim {

namespace {

/// The modes this version runs; the others of mode_kind come with later issues.
constexpr std::array implemented_modes{mode_kind::sync, mode_kind::async};

constexpr std::array all_modes{mode_kind::sync,   mode_kind::async,     mode_kind::ssp,
                               mode_kind::ksync,  mode_kind::kasync,    mode_kind::local_sgd,
                               mode_kind::allreduce};

run_config read_run(scenario_reader run) {
  run_config config;
  config.clock = run.choice("clock", "virtual", {"virtual", "real"}) == "real"
                   ? clock_kind::real_time
                   : clock_kind::virtual_time;
  scenario_reader stop = run.table("stop", "{ updates = 1000 }");
  if (auto updates = stop.optional_integer("updates", 1))
    config.stop.updates = static_cast<std::uint64_t>(*updates);
  config.stop.time = stop.optional_duration("time", above(0));
  config.stop.loss = stop.optional_number("loss", at_least(0));
  config.stop.wall = stop.optional_duration("wall", above(0));
  stop.finish();
  const stop_config& s = config.stop;
  if (!s.updates && !s.time && !s.loss && !s.wall)
    run.fail("stop", "found an empty table; allowed: a table with at least one of updates,"
                     " time, loss, wall");
  config.eval_every = static_cast<std::uint64_t>(run.integer("eval_every", 10, 1));
  config.stall_timeout = run.optional_duration("stall_timeout", above(0));
  run.finish();
  return config;
}

data_config read_data(scenario_reader data, std::size_t workers) {
  data_config config;
  config.source = data.choice("source", "synthetic", {"synthetic", "csv"});
  config.test_fraction = data.number("test_fraction", 0, half_open(0, 1));
  config.sharding = data.choice("sharding", "contiguous", {"contiguous", "shuffled"});
  config.standardize = data.boolean("standardize", false);
  config.noise = data.number("noise", 0.1, at_least(0));
  constexpr std::array synthetic_keys{"generator", "samples", "features", "weights", "bias"};
  constexpr std::array csv_keys{"path", "target"};
  if (config.source == "synthetic") {
    for (auto key : csv_keys)
      data.forbid(key, "for source = \"csv\" (here source = \"synthetic\")");
    config.generator = data.choice("generator", "linear", {"linear"});
    config.samples = static_cast<std::size_t>(data.integer("samples", 1000, 1));
    config.features = static_cast<std::size_t>(data.integer("features", 1, 1));
    if (auto weights = data.optional_numbers("weights")) {
      if (weights->size() != config.features)
        data.fail("weights", fmt::format("found {} weights for features = {}; allowed: an array"
                                         " of {} numbers, one weight per feature",
                                         weights->size(), config.features, config.features));
      config.weights = *weights;
    }
    config.bias = data.number("bias", 0);
    double training = static_cast<double>(config.samples) * (1 - config.test_fraction);
    if (training < static_cast<double>(workers))
      data.fail("samples", fmt::format("found samples = {} with test_fraction = {}, which leaves"
                                       " {} training samples for cluster.workers = {}; allowed:"
                                       " at least one training sample per worker",
                                       config.samples, config.test_fraction, training, workers));
  } else {
    for (auto key : synthetic_keys)
      data.forbid(key, "for source = \"synthetic\" (here source = \"csv\")");
    auto path = data.optional_string("path");
    if (!path)
      data.missing("path", "source = \"csv\" needs the file to read");
    config.path = *path;
    if (const toml::node* target = data.find("target")) {
      if (auto* name = target->as_string())
        config.target = name->get();
      else if (auto* index = target->as_integer(); index && index->get() >= 0)
        config.target = std::to_string(index->get());
      else
        data.fail_found("target", "a column name (a string) or a 0-based column index"
                                  " (an integer >= 0)");
    }
  }
  data.finish();
  return config;
}

model_config read_model(scenario_reader model) {
  model_config config;
  config.kind = model.choice("kind", "linear_regression", {"linear_regression"});
  config.bias = model.boolean("bias", true);
  config.l2 = model.number("l2", 0, at_least(0));
  model.finish();
  return config;
}

training_config read_training(scenario_reader training) {
  training_config config;
  std::vector<std::string> names;
  for (auto mode : implemented_modes)
    names.push_back(to_string(mode));
  auto mode = training.choice("mode", "sync", {names.begin(), names.end()});
  for (auto candidate : all_modes)
    if (to_string(candidate) == mode)
      config.mode = candidate;
  config.learning_rate = training.number("learning_rate", 0.1, above(0));
  config.batch_size = static_cast<std::size_t>(training.integer("batch_size", 32, 0));
  config.momentum = training.number("momentum", 0, half_open(0, 1));
  config.staleness_lr_inverse =
    training.choice("staleness_lr", "none", {"none", "inverse"}) == "inverse";
  config.local_update = training.boolean("local_update", false);
  config.drop_stale = training.integer("drop_stale", -1, -1);
  config.on_failure = training.choice("on_failure", "continue", {"continue", "wait"});
  training.finish();
  return config;
}

cluster_config read_cluster(scenario_reader cluster) {
  cluster_config config;
  config.workers = static_cast<std::size_t>(cluster.integer("workers", 4, 1, 100000));
  constexpr auto lowest = std::numeric_limits<std::int64_t>::min();
  if (cluster.integer("servers", 1, lowest) != 1)
    cluster.fail_found("servers", "1 (only one server shard in this version)");
  config.server_apply_time = cluster.duration("server_apply_time", "0s");
  cluster.finish();
  return config;
}

compute_config read_compute(scenario_reader compute) {
  compute_config config;
  config.time = compute.random_duration("time", R"({ dist = "exponential", mean = "10ms" })");
  compute.finish();
  return config;
}

network_config read_network(scenario_reader network) {
  network_config config;
  config.latency = network.random_duration("latency", R"("1ms")");
  config.bandwidth = network.bandwidth("bandwidth", "1GB/s");
  config.drop = network.number("drop", 0, half_open(0, 1));
  config.duplicate = network.number("duplicate", 0, half_open(0, 1));
  config.timeout = network.optional_duration("timeout", above(0));
  network.finish();
  return config;
}

trace_config read_trace(scenario_reader trace) {
  trace_config config;
  config.events = trace.boolean("events", false);
  trace.finish();
  return config;
}

} // namespace

scenario read_scenario(toml::table& root, const std::string& source) {
  scenario_reader top(root, "", source);
  scenario result;
  std::string stem = std::filesystem::path(source).stem().string();
  result.name = top.string("name", stem.empty() ? "scenario" : stem);
  result.description = top.string("description", "");
  result.seed = static_cast<std::uint64_t>(top.integer("seed", 42, 0));
  // Tables are taken in the order the reference lists them; [cluster] is read before
  // [data], whose sample count must cover the workers.
  auto run = top.table("run");
  auto data = top.table("data");
  auto model = top.table("model");
  auto training = top.table("training");
  auto cluster = top.table("cluster");
  auto compute = top.table("compute");
  auto network = top.table("network");
  auto trace = top.table("trace");
  top.finish();
  result.run = read_run(run);
  result.cluster = read_cluster(cluster);
  result.data = read_data(data, result.cluster.workers);
  result.model = read_model(model);
  result.training = read_training(training);
  result.compute = read_compute(compute);
  result.network = read_network(network);
  result.trace = read_trace(trace);
  return result;
}

} // namespace psim::sim
