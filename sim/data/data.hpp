// Data sources, the test split and sharding: everything between a scenario's [data]
// table and the rows each worker trains on.
#pragma once

#include "sim/data/dataset.hpp"
#include "sim/random/random.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace psim::sim {

/// What a scenario's [data] table says.
struct data_config {
  std::string source = "synthetic";    ///< synthetic | csv | libsvm | mnist
  std::string generator = "linear";    ///< synthetic: linear | logistic | blobs
  std::size_t samples = 1000;          ///< synthetic: rows; mnist: first rows (0 = all)
  std::size_t features = 1;            ///< synthetic: features per sample
  std::vector<double> weights;         ///< linear, logistic: true weights; empty = N(0,1)
  double bias = 0;                     ///< linear, logistic: true intercept
  double noise = 0.1;                  ///< linear: target noise std; blobs: cluster std
  std::size_t centers = 3;             ///< blobs: number of clusters (classes)
  std::string path;                    ///< csv | libsvm | mnist: file to read
  std::string target;                  ///< csv: target column name or 0-based index
  bool standardize = false;            ///< scale features to mean 0, std 1
  double test_fraction = 0;            ///< share of samples held out for testing
  std::string sharding = "contiguous"; ///< contiguous | shuffled | label_skew
  double skew_alpha = 0.5;             ///< label_skew: Dirichlet concentration (> 0)
  std::size_t classes = 0;             ///< labels are classes 0..classes-1 (encoded by
                                       ///< prepare_data; set from the model); 0 = targets
};

/// A data file that cannot be read, located where the problem stands.
struct data_error : std::runtime_error {
  /// Creates the error for `file` at `line`:`column` (1-based; 0 when unknown).
  data_error(std::string file, int line, int column, const std::string& message);
  std::string file; ///< the file
  int line;         ///< 1-based line, 0 when not about a line
  int column;       ///< 1-based column, 0 when not about a column
};

/// The largest data file psim reads, in bytes (2 GiB).
inline constexpr std::uintmax_t max_data_file_bytes = std::uintmax_t{1} << 31;

/// Throws data_error unless `path` is a regular file (not a directory, device or pipe)
/// of at most max_data_file_bytes, so that no loader reads without end.
void require_regular_file(const std::string& path);

/// Draws `config.samples` rows x ~ U[0,1)^features, y = x.w + bias + N(0, noise^2),
/// w from `config.weights` or N(0,1) draws; all from stream "data" of `seed`.
dataset make_linear(const data_config& config, std::uint64_t seed);

/// Draws `config.samples` rows x ~ N(0,1)^features and labels 1 with probability
/// sigmoid(x.w + bias), else 0; w as for make_linear; all from stream "data" of `seed`.
dataset make_logistic(const data_config& config, std::uint64_t seed);

/// Draws `config.centers` cluster centres ~ N(0,1)^features, then `config.samples` rows,
/// row i from cluster i mod centers (its label) plus N(0, noise^2) per feature.
dataset make_blobs(const data_config& config, std::uint64_t seed);

/// Reads a LIBSVM (SVMlight) text file: one "label index:value ..." line per sample,
/// 1-based indices increasing along the line, absent ones 0, '#' starting a comment.
/// Held dense: at most 10^8 values (rows x largest index). Throws data_error at
/// file:line:column.
dataset load_libsvm(const std::string& path);

/// The labels of a LIBSVM file, without its features (to count classes cheaply).
std::vector<double> libsvm_labels(const std::string& path);

/// Reads an MNIST file written by tools/fetch-data mnist (format in sim/data/mnist.cpp):
/// pixels scaled to [0, 1], labels 0..9; only the first `limit` rows when limit > 0.
/// A relative path missing from the current directory is looked up under $PSIM_HOME.
/// Throws data_error, saying what command to run when the file is missing.
dataset load_mnist(const std::string& path, std::size_t limit = 0);

/// The number of distinct labels of the file `config` names (csv or libsvm).
std::size_t count_labels(const data_config& config);

/// Rewrites the labels `y` as class indices 0..classes-1: labels that already are such
/// indices stay; with 2 classes -1/+1 become 0/1; otherwise the distinct labels are
/// numbered in increasing order. Throws data_error when there are more than `classes`.
void encode_classes(vector& y, std::size_t classes);

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
  std::size_t classes = 0;   ///< labels are 0..classes-1; 0 = regression targets
};

/// Orders the training rows `rows` (indices into `labels`, class indices) and cuts them
/// into `workers` contiguous shards whose label mix is skewed: for each class, the
/// shards' shares are drawn from Dirichlet(alpha) with `rng`. Every row lands in
/// exactly one shard and no shard is empty (rows.size() >= workers is required).
std::vector<shard> label_skew(std::vector<std::size_t>& rows, const vector& labels,
                              std::size_t classes, std::size_t workers, double alpha,
                              random_stream& rng);

/// One shard's size and how many rows of each class it holds.
struct shard_stats {
  std::size_t rows = 0;                   ///< rows in the shard
  std::vector<std::size_t> label_counts;  ///< rows per class (empty without classes)
};

/// The size and label counts of every shard of `data`, in worker order.
std::vector<shard_stats> shard_statistics(const prepared_data& data);

/// Loads or generates the data, encodes class labels (when config.classes > 0), splits
/// off the test rows (a random subset, stream "data-split") and cuts the training rows
/// into `workers` shards: `contiguous` keeps the order, `shuffled` permutes first,
/// `label_skew` skews each shard's label mix (both with stream "sharding"). Every row
/// lands in exactly one shard; with contiguous and shuffled shard sizes differ by at
/// most one. Throws data_error.
prepared_data prepare_data(const data_config& config, std::uint64_t seed,
                           std::size_t workers);

/// As prepare_data, but shared: the same (config, seed, workers) in one process is
/// prepared once and the result reused by every actor that asks.
std::shared_ptr<const prepared_data>
shared_data(const data_config& config, std::uint64_t seed, std::size_t workers);

} // namespace psim::sim
