// The schema of a scenario file: every table, key, default and allowed value, read
// into the scenario struct (the reference for users is docs/scenario-reference.md).
#include "sim/scenario/reader.hpp"
#include "sim/scenario/training_keys.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>

namespace psim::sim {

namespace {

/// The training modes, in the order the reference lists them.
constexpr std::array all_modes{mode_kind::sync,   mode_kind::async,     mode_kind::ssp,
                               mode_kind::ksync,  mode_kind::kasync,    mode_kind::local_sgd,
                               mode_kind::allreduce};

/// Reads training.lr_schedule: a kind as a string, or a table with the kind's parameters.
lr_schedule read_lr_schedule(scenario_reader& training) {
  lr_schedule schedule;
  std::vector<std::string_view> kinds;
  for (const auto& [kind, name] : schedule_names)
    kinds.push_back(name);
  const toml::node* node = training.find("lr_schedule");
  if (node == nullptr || !node->is_table()) {
    schedule.kind = *schedule_kind_named(training.choice("lr_schedule", "constant", kinds));
    return schedule;
  }
  scenario_reader table = training.table("lr_schedule");
  schedule.kind = *schedule_kind_named(table.choice("kind", "constant", kinds));
  if (schedule.kind == schedule_kind::inverse_sqrt)
    schedule.scale = table.number("scale", 1000, above(0));
  if (schedule.kind == schedule_kind::step) {
    schedule.every = static_cast<std::uint64_t>(table.integer("every", 1000, 1));
    schedule.factor = table.number("factor", 0.5, above(0));
  }
  table.finish();
  return schedule;
}

// cluster.participants (a count) or cluster.participation (a share of the workers):
// the workers a round samples; 0 (every worker, nothing drawn) when neither is given.
std::size_t read_participants(scenario_reader& cluster, std::size_t workers) {
  auto share = cluster.optional_number("participation", number_range{0, 1, true, false});
  if (!share)
    return static_cast<std::size_t>(cluster.optional_integer(
      "participants", 1, static_cast<std::int64_t>(workers)).value_or(0));
  if (cluster.find("participants") != nullptr)
    cluster.fail("participation", "found both participants and participation; allowed: one");
  auto count = std::llround(*share * static_cast<double>(workers));
  return static_cast<std::size_t>(std::max<long long>(1, count));
}

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

training_config read_training(scenario_reader training, std::size_t workers,
                              std::size_t parameters) {
  training_config config;
  std::vector<std::string> names;
  for (auto mode : all_modes)
    names.push_back(to_string(mode));
  auto mode = training.choice("mode", "sync", {names.begin(), names.end()});
  for (auto candidate : all_modes)
    if (to_string(candidate) == mode)
      config.mode = candidate;
  config.learning_rate = training.number("learning_rate", 0.1, above(0));
  config.batch_size = static_cast<std::size_t>(training.integer("batch_size", 32, 0));
  config.sampling =
    *sampling_kind_named(training.choice("sampling", "reshuffle", sampling_kind_names()));
  config.momentum = training.number("momentum", 0, half_open(0, 1));
  config.optimizer = read_optimizer(training, config.momentum);
  config.schedule = read_lr_schedule(training);
  config.staleness_bound = training.integer("staleness_bound", 3, 0);
  // k only matters for ksync and kasync, where it cannot exceed the workers.
  bool k_mode = config.mode == mode_kind::ksync || config.mode == mode_kind::kasync;
  config.k = static_cast<std::size_t>(training.integer(
    "k", 1, 1,
    k_mode ? static_cast<std::int64_t>(workers) : std::numeric_limits<std::int64_t>::max()));
  // H local steps per push: local_sgd's own H (8 by default), 1 (every gradient) elsewhere.
  config.local_steps = static_cast<std::size_t>(
    training.integer("local_steps", config.mode == mode_kind::local_sgd ? 8 : 1, 1, 1000000));
  config.server_learning_rate = training.number("server_learning_rate", 1, above(0));
  config.staleness_lr = read_staleness_lr(training);
  config.inject_staleness = read_inject_staleness(training, config.mode, parameters);
  config.local_update = training.boolean("local_update", false);
  if (config.local_update && config.local_steps > 1 && config.mode != mode_kind::local_sgd)
    training.fail("local_update", "found true with local_steps > 1; allowed: true only with "
                                  "local_steps = 1 (local steps already update the worker's copy)");
  config.drop_stale = training.integer("drop_stale", -1, -1);
  config.on_failure = training.choice("on_failure", "continue", {"continue", "wait"}) == "wait"
                        ? failure_policy::wait
                        : failure_policy::continue_live;
  training.finish();
  return config;
}

cluster_config read_cluster(scenario_reader cluster) {
  cluster_config config;
  // A sanity bound: what this machine can hold is the memory estimate's to say.
  config.workers = static_cast<std::size_t>(cluster.integer("workers", 4, 1, 10'000'000));
  config.servers = static_cast<std::size_t>(cluster.integer("servers", 1, 1, 1024));
  config.server_apply_time = cluster.duration("server_apply_time", "0s");
  config.participants = read_participants(cluster, config.workers);
  cluster.finish();
  return config;
}

compute_config read_compute(scenario_reader compute, std::size_t workers,
                            const std::string& source) {
  compute_config config;
  config.time = compute.random_duration("time", R"({ dist = "exponential", mean = "10ms" })");
  for (auto& entry : read_table_array(compute, "override", source)) {
    compute_override o;
    auto ids = entry.numbers("workers", {});
    for (double id : ids) {
      if (id < 0 || id >= static_cast<double>(workers) || id != static_cast<double>(
                                                             static_cast<std::size_t>(id)))
        entry.fail("workers", fmt::format("found worker {}; allowed: worker numbers from 0 "
                                          "to {} (cluster.workers - 1)", id, workers - 1));
      o.workers.push_back(static_cast<std::size_t>(id));
    }
    if (o.workers.empty())
      entry.fail("workers", "found no workers; allowed: a non-empty array of worker numbers");
    o.slowdown = entry.number("slowdown", 1, above(0));
    if (entry.find("time") != nullptr)
      o.time = entry.random_duration("time", "");
    entry.finish();
    config.overrides.push_back(std::move(o));
  }
  compute.finish();
  return config;
}

network_config read_network(scenario_reader network, const std::string& source,
                            const actor_counts& actors) {
  network_config config;
  config.latency = network.random_duration("latency", R"("1ms")");
  config.bandwidth = network.bandwidth("bandwidth", "1GB/s");
  config.drop = network.number("drop", 0, half_open(0, 1));
  config.duplicate = network.number("duplicate", 0, half_open(0, 1));
  config.timeout = network.optional_duration("timeout", above(0));
  config.links = read_link_overrides(network, source, actors);
  network.finish();
  return config;
}

trace_config read_trace(scenario_reader trace) {
  trace_config config;
  config.events = trace.boolean("events", false);
  // params: true, false, or the indices of the parameters to trace.
  const toml::node* params = trace.find("params");
  if (params != nullptr && params->is_array()) {
    for (auto index : trace.integers("params", {}, 0))
      config.param_indices.push_back(static_cast<std::size_t>(index));
    if (config.param_indices.empty())
      trace.fail_found("params", "true, false, or a non-empty array of parameter indices");
    config.params = true;
  } else {
    config.params = trace.boolean("params", false);
  }
  trace.finish();
  return config;
}

// Client sampling needs rounds; availability needs a server to come back to.
void check_federated(const scenario& s, const std::string& source) {
  auto mode = s.training.mode;
  bool rounds = mode == mode_kind::sync || mode == mode_kind::ksync
                || mode == mode_kind::local_sgd;
  if (s.cluster.participants != 0 && s.cluster.participants < s.cluster.workers && !rounds)
    throw scenario_error(source, 0, 0, "cluster.participants",
                         "found fewer participants than workers with mode = \""
                           + to_string(mode) + "\"; allowed: sampling only with sync, "
                           "ksync, local_sgd (the round modes)");
  if (s.availability.any() && mode == mode_kind::allreduce)
    throw scenario_error(source, 0, 0, "availability",
                         "found [availability] with mode = \"allreduce\"; allowed: a mode "
                         "with a server (the ring cannot take a worker back)");
}

} // namespace

scenario read_scenario(toml::table& root, const std::string& source) {
  scenario_reader top(root, "", source);
  scenario result;
  std::string stem = std::filesystem::path(source).stem().string();
  result.name = top.string("name", is_safe_folder_name(stem) ? stem : "scenario");
  if (!is_safe_folder_name(result.name))
    top.fail_found("name", "a folder name of at most 100 letters, digits, '-', '_' and '.', "
                           "not starting with '.'");
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
  auto checkpoint = top.table("checkpoint");
  // Each table is read even when another failed: collect_errors keeps every mistake.
  collect_errors([&] {
    result.checkpoint.every = static_cast<std::uint64_t>(checkpoint.integer("every", 0, 0));
    checkpoint.finish();
  });
  collect_errors([&] { result.run = read_run(run); });
  collect_errors([&] { result.cluster = read_cluster(cluster); });
  const actor_counts actors{result.cluster.workers, result.cluster.servers};
  collect_errors([&] { result.faults = read_faults(top, source, actors); });
  collect_errors([&] { result.deployment = read_deployment(top, source, result.run,
                                                           result.cluster); });
  collect_errors([&] { result.availability = read_availability(top, source,
                                                               result.cluster.workers); });
  top.finish();
  collect_errors([&] { result.data = read_data(data, result.cluster.workers); });
  if (!reported_at("data")) // [model] is checked against the data [data] describes
    collect_errors([&] { result.model = read_model(model, result.data); });
  collect_errors([&] {
    // the injected-staleness memory check needs the parameter count of a valid model
    auto parameters = reported_at("data") || reported_at("model")
                        ? 0 : parameter_count(result.model, result.data);
    result.training = read_training(training, result.cluster.workers, parameters);
  });
  collect_errors([&] { result.compute = read_compute(compute, result.cluster.workers, source); });
  collect_errors([&] { result.network = read_network(network, source, actors); });
  collect_errors([&] { result.trace = read_trace(trace); });
  if (!reported_at("training") && !reported_at("cluster"))
    collect_errors([&] { check_federated(result, source); });
  if (result.training.mode == mode_kind::allreduce)
    for (const auto& f : result.faults)
      if (f.kind == fault_kind::crash || f.kind == fault_kind::server_crash)
        throw scenario_error(source, 0, 0, "faults",
                             "found a " + to_string(f.kind) + " fault with mode = \"allreduce\"; "
                             "allowed with allreduce: slowdown, partition, drop, latency (the "
                             "ring has no server and cannot take a worker back)");
  return result;
}

} // namespace psim::sim
