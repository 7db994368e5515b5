// A scenario: the validated, fully resolved content of a scenario file (DESIGN §5),
// and the parser that reports every mistake with file, line, column and key.
#pragma once

#include "sim/data/data.hpp"
#include "sim/cluster/availability.hpp"
#include "sim/cluster/deployment.hpp"
#include "sim/random/distribution.hpp"
#include "sim/cluster/faults.hpp"
#include "sim/training/injected_staleness.hpp"
#include "sim/training/lr_schedule.hpp"
#include "sim/training/sampling/sampling_kind.hpp"
#include "sim/training/optimizer.hpp"
#include "sim/training/staleness_weighting.hpp"
#include "sim/model/model.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace psim::sim {

/// Which clock drives a run.
enum class clock_kind { virtual_time, real_time };

/// The consistency model of the training (DESIGN §3).
enum class mode_kind { sync, async, ssp, ksync, kasync, local_sgd, allreduce };

/// The name of a mode as scenario files write it.
std::string to_string(mode_kind mode);

/// What a round does when a worker is lost (training.on_failure).
enum class failure_policy {
  continue_live, ///< "continue": a round needs only the live workers
  wait,          ///< "wait": a round waits for the worker's restart
};

/// The name of a failure policy as scenario files write it.
std::string to_string(failure_policy policy);

/// When a run ends: the first condition reached.
struct stop_config {
  std::optional<std::uint64_t> updates; ///< versions applied
  std::optional<double> time;           ///< seconds of (virtual or real) time
  std::optional<double> loss;           ///< train_loss at or below this
  std::optional<double> wall;           ///< seconds of wall time
};

/// The [run] table.
struct run_config {
  clock_kind clock = clock_kind::virtual_time; ///< virtual | real
  stop_config stop;                            ///< stop conditions
  std::uint64_t eval_every = 10;               ///< metrics row every N versions
  std::optional<double> stall_timeout;         ///< seconds without a new version
};

/// The [training] table.
struct training_config {
  mode_kind mode = mode_kind::sync;  ///< consistency model
  double learning_rate = 0.1;        ///< step size
  std::size_t batch_size = 32;       ///< per worker; 0 = the whole shard
  sampling_kind sampling = sampling_kind::reshuffle; ///< how batches are drawn from a shard
  double momentum = 0;               ///< momentum's factor when training.optimizer is absent
  optimizer_settings optimizer;      ///< the server's optimizer and its hyperparameters
  sim::lr_schedule schedule;         ///< lr_schedule: how the rate changes with versions
  staleness_weighting staleness_lr;  ///< how a gradient is scaled by its staleness
  staleness_injection inject_staleness; ///< async, ssp, kasync: staleness the server adds
  std::int64_t staleness_bound = 3;  ///< ssp bound s
  std::size_t k = 1;                 ///< ksync | kasync
  std::size_t local_steps = 1;       ///< H: local steps per push (file default: local_sgd 8, else 1)
  double server_learning_rate = 1;   ///< factor on applied model deltas of local steps
  bool local_update = false;         ///< async: worker applies its own gradient first
  std::int64_t drop_stale = -1;      ///< async: discard if staleness > N; -1 never
  failure_policy on_failure = failure_policy::continue_live; ///< continue | wait
};

/// The [cluster] table.
struct cluster_config {
  std::size_t workers = 4;       ///< number of workers
  std::size_t servers = 1;       ///< number of parameter-server shards
  double server_apply_time = 0;  ///< seconds a server takes to apply one update
  std::size_t participants = 0;  ///< round modes: workers sampled per round; 0 = all
};

/// A [[compute.override]] entry: other compute times for some workers.
struct compute_override {
  std::vector<std::size_t> workers;  ///< the workers it applies to
  double slowdown = 1;               ///< factor on their compute times
  std::optional<distribution> time;  ///< their own distribution, if given
};

/// The [compute] table.
struct compute_config {
  distribution time = distribution::fixed(0.01); ///< duration of one gradient
  std::vector<compute_override> overrides;       ///< per-worker exceptions

  /// The distribution and slowdown factor of worker `w`.
  std::pair<const distribution*, double> of_worker(std::size_t w) const {
    const distribution* dist = &time;
    double factor = 1;
    for (const auto& o : overrides)
      for (auto id : o.workers)
        if (id == w) {
          if (o.time)
            dist = &*o.time;
          factor *= o.slowdown;
        }
    return {dist, factor};
  }
};

/// The [network] table.
struct network_config {
  distribution latency = distribution::fixed(0.001); ///< per-message latency
  double bandwidth = 1e9;                            ///< bytes per second
  double drop = 0;                                   ///< loss probability
  double duplicate = 0;                              ///< duplication probability
  std::optional<double> timeout;                     ///< resend after this long
  std::vector<link_override> links;                  ///< [[network.link]] entries

  /// The conditions of the link `from` -> `to`: the defaults, then every matching
  /// [[network.link]] entry in file order.
  network_config for_link(std::string_view from, std::string_view to) const {
    network_config c = *this;
    for (const auto& o : links)
      if (o.covers(from, to)) {
        if (o.latency)
          c.latency = *o.latency;
        if (o.bandwidth)
          c.bandwidth = *o.bandwidth;
        if (o.drop)
          c.drop = *o.drop;
        if (o.duplicate)
          c.duplicate = *o.duplicate;
      }
    return c;
  }
};

/// The [checkpoint] table.
struct checkpoint_config {
  std::uint64_t every = 0; ///< each server shard checkpoints every N versions; 0 = only v0
};

/// The [trace] table.
struct trace_config {
  bool events = false; ///< also write events.csv
  bool params = false; ///< also write params.csv
  std::vector<std::size_t> param_indices; ///< the parameters params.csv holds; empty = all
};

/// A validated scenario with every default filled in.
struct scenario {
  std::string file;        ///< where it was read from ("" for text)
  std::string name;        ///< run name (default: the file's stem)
  std::string description; ///< one line
  std::uint64_t seed = 42; ///< seed of every random stream
  run_config run;          ///< [run]
  data_config data;        ///< [data]
  model_config model;      ///< [model]
  training_config training;///< [training]
  cluster_config cluster;  ///< [cluster]
  compute_config compute;  ///< [compute]
  network_config network;  ///< [network]
  trace_config trace;      ///< [trace]
  checkpoint_config checkpoint; ///< [checkpoint]
  std::vector<fault> faults;    ///< [[faults]], in file order
  availability_config availability; ///< [availability]; none = always online
  deployment_config deployment; ///< [deployment]; no nodes = one process
  std::string resolved;    ///< the resolved scenario as TOML text (every default written)
};

/// A mistake in a scenario, where it stands and what was allowed.
struct scenario_error : std::runtime_error {
  /// Creates the error; `message` says what was found and what is allowed.
  scenario_error(std::string file, int line, int column, std::string key,
                 const std::string& message);
  std::string file; ///< file name as given ("--set" for command-line overrides)
  int line;         ///< 1-based line (0 when unknown)
  int column;       ///< 1-based column (0 when unknown)
  std::string key;  ///< dotted key, e.g. "training.mode"
};

/// The largest scenario file psim reads, in bytes (16 MiB).
inline constexpr std::uintmax_t max_scenario_bytes = std::uintmax_t{16} << 20;

/// Reads, validates and resolves the scenario file at `path`, after applying each
/// "dotted.key=toml-value" of `overrides`. Throws scenario_error.
scenario load_scenario(const std::string& path,
                       const std::vector<std::string>& overrides = {});

/// As load_scenario, from `text`; `source` names it in errors and gives the default name.
scenario parse_scenario(const std::string& text, const std::string& source,
                        const std::vector<std::string>& overrides = {});

} // namespace psim::sim
