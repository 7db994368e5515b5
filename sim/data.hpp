// Data sources, the test split and sharding: everything between a scenario's [data]
// table and the rows each worker trains on.
#pragma once

#include "sim/dataset.hpp"
#include "sim/random.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace psim::sim {

/// What a scenario's [data] table says.
struct data_config {
  std::string source = "synthetic";    ///< synthetic | csv
  std::string generator = "linear";    ///< synthetic: linear
  std::size_t samples = 1000;          ///< synthetic: number of samples
  std::size_t features = 1;            ///< synthetic: features per sample
  std::vector<double> weights;         ///< linear: true weights; empty = drawn N(0,1)
  double bias = 0;                     ///< linear: true intercept
  double noise = 0.1;                  ///< std of the additive Gaussian noise
  std::string path;                    ///< csv: file to read
  std::string target;                  ///< csv: target column name or 0-based index
  bool standardize = false;            ///< scale features to mean 0, std 1
  double test_fraction = 0;            ///< share of samples held out for testing
  std::string sharding = "contiguous"; ///< contiguous | shuffled
};

/// A data file that cannot be read, located where the problem stands.
struct data_error : std::runtime_error {
  /// Creates the error for `file` at `line`:`column` (1-based; 0 when unknown).
  data_error(std::string file, int line, int column, const std::string& message);
  std::string file; ///< the file
  int line;         ///< 1-based line, 0 when not about a line
  int column;       ///< 1-based column, 0 when not about a column
};

/// Draws `config.samples` rows x ~ U[0,1)^features, y = x.w + bias + N(0, noise^2),
/// w from `config.weights` or N(0,1) draws; all from stream "data" of `seed`.
dataset make_linear(const data_config& config, std::uint64_t seed);

/// Reads a CSV file with a header row; `target` names the target column or gives its
/// 0-based index; every other column is a feature. Throws data_error.
dataset load_csv(const std::string& path, const std::string& target);

/// Scales every feature column to mean 0 and standard deviation 1 (constant columns
/// are only centred).
void standardize(dataset& data);

/// A contiguous range of training rows owned by one worker.
struct shard {
  std::size_t begin = 0; ///< first row
  std::size_t count = 0; ///< number of rows
};

/// Training and test rows and the shards of the training rows.
struct prepared_data {
  dataset train;             ///< rows the workers train on, ordered shard by shard
  dataset test;              ///< held-out rows (may be empty)
  std::vector<shard> shards; ///< shards[w]: worker w's rows of `train`
};

/// Loads or generates the data, splits off the test rows (a random subset, stream
/// "data-split") and cuts the training rows into `workers` shards: `contiguous` keeps
/// the order, `shuffled` permutes first (stream "sharding"). Every row lands in
/// exactly one shard; shard sizes differ by at most one. Throws data_error.
prepared_data prepare_data(const data_config& config, std::uint64_t seed,
                           std::size_t workers);

/// As prepare_data, but shared: the same (config, seed, workers) in one process is
/// prepared once and the result reused by every actor that asks.
std::shared_ptr<const prepared_data>
shared_data(const data_config& config, std::uint64_t seed, std::size_t workers);

} // namespace psim::sim
