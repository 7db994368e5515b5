// How much memory a run will need, estimated from its scenario before anything is
// loaded, so that validation can refuse a run this machine cannot hold.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <string>
#include <vector>

namespace psim::sim {

struct scenario;

/// The sizes a run's memory depends on.
struct memory_inputs {
  std::uint64_t rows = 0;          ///< rows of the data set
  std::uint64_t features = 0;      ///< features per row
  std::uint64_t parameters = 0;    ///< parameters of the model
  std::uint64_t workers = 0;       ///< cluster.workers
  std::uint64_t links = 0;         ///< network links per worker (2 per server shard; ring: 1)
  std::uint64_t batch = 0;         ///< rows per gradient (the whole shard when 0)
  std::uint64_t widths = 0;        ///< units of every model layer (activations per row)
  std::uint64_t metrics_rows = 0;  ///< metrics rows the run may write
  std::uint64_t worker_copies = 4; ///< parameter-sized vectors each worker holds itself
  std::uint64_t flight_copies = 4; ///< parameter-sized messages in flight per worker
  std::uint64_t server_copies = 4; ///< parameter-sized vectors of the server shards together
};

/// The estimate, part by part, in bytes.
struct memory_estimate {
  std::uint64_t data = 0;     ///< the data set: rows x (features + 1) x 8
  std::uint64_t workers = 0;  ///< per worker: its worker_copies and batch activations;
                              ///< times the workers
  std::uint64_t servers = 0;  ///< the shards' server_copies, and the recorder's evaluation
                              ///< over all rows
  std::uint64_t messages = 0; ///< payloads in flight (workers x flight_copies) and pooled
  std::uint64_t metrics = 0;  ///< metrics rows kept while writing: 256 bytes each
  std::uint64_t actors = 0;   ///< the actors themselves, measured: per worker its actor and
                              ///< bookkeeping (worker_actor_bytes), per link link_actor_bytes

  /// The sum of the parts.
  std::uint64_t total() const {
    return data + workers + servers + messages + metrics + actors;
  }

  /// The scenario key behind the largest part: "data.samples", "cluster.workers" or
  /// `model_key` (the key that sets the model's size).
  std::string dominant_key(const std::string& model_key) const;
};

/// Bytes of one worker's actor (CAF's and psim's state) with its bookkeeping in the
/// server, the recorder, the failure watch and the summary. Measured as peak RSS at
/// 100,000 workers minus at 10 (million-workers.toml, 10 parameters, CAF 0.17.6):
/// 6,650 B per worker with one shard, 10,970 B with two, so a link with its shard's
/// bookkeeping 2,160 B and the worker 2,340 B; at a million workers 7.4 KB. Those are
/// short runs: pools and ledgers fill over the first updates, and 6.6 million updates at
/// 100,000 workers peaked at 8.85 KB per worker. 3,800 + 2 x 2,500 (with the estimate's
/// 656 B of message and gradient buffers at 10 parameters) is 7 % above that.
constexpr std::uint64_t worker_actor_bytes = 3800;

/// Bytes of one network link's actor with its server shard's bookkeeping, measured the
/// same way (2,160 B) plus the margin.
constexpr std::uint64_t link_actor_bytes = 2500;

/// The estimate for `in`.
memory_estimate estimate_memory(const memory_inputs& in);

/// The sizes of `scn`'s run (file data sets: their cells bounded by the file's size).
memory_inputs memory_inputs_of(const scenario& scn);

/// The key that sets the model's size in `scn`: model.hidden, model.classes or
/// data.features.
std::string model_size_key(const scenario& scn);

/// Physical memory of this machine in bytes (MemTotal of /proc/meminfo); 0 if unknown.
std::uint64_t machine_memory();

/// Throws scenario_error at the key behind the largest part (its line in `root`, a
/// parsed scenario whose validated content is `scn`) when the estimate of `scn` is more
/// than `available` bytes (0: no check).
void check_memory(const scenario& scn, const toml::table& root, std::uint64_t available);

/// "about 12 GB" for `bytes`: one decimal below 10 units, in B, KB, MB or GB.
std::string memory_text(std::uint64_t bytes);

} // namespace psim::sim
