// A data set held in memory as a row-major matrix, and batches that view contiguous
// rows of it without copying.
#pragma once

#include <Eigen/Dense>

#include <cstddef>
#include <string>
#include <vector>

namespace psim::sim {

/// Row-major matrix: one sample per row, so a block of rows is contiguous memory.
using matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Column vector of doubles (parameters, targets, gradients).
using vector = Eigen::VectorXd;

/// Samples (rows of `x`) with their targets `y`.
struct dataset {
  matrix x;                               ///< features, one row per sample
  vector y;                               ///< target of each sample
  std::vector<std::string> feature_names; ///< column names (may be empty)

  /// Number of samples.
  std::size_t rows() const { return static_cast<std::size_t>(x.rows()); }

  /// Number of features per sample.
  std::size_t features() const { return static_cast<std::size_t>(x.cols()); }
};

/// Contiguous rows of a data set, viewed in place.
struct batch {
  Eigen::Ref<const matrix> x; ///< the rows' features
  Eigen::Ref<const vector> y; ///< the rows' targets

  /// Number of samples in the batch.
  std::size_t rows() const { return static_cast<std::size_t>(x.rows()); }
};

/// Views rows [begin, begin + count) of `data`.
inline batch rows_of(const dataset& data, std::size_t begin, std::size_t count) {
  auto b = static_cast<Eigen::Index>(begin);
  auto n = static_cast<Eigen::Index>(count);
  return batch{data.x.middleRows(b, n), data.y.segment(b, n)};
}

/// Views the whole data set.
inline batch all_rows(const dataset& data) { return rows_of(data, 0, data.rows()); }

} // namespace psim::sim
