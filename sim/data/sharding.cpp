// Label-skewed (non-IID) shards: per class, Dirichlet shares of its rows for each
// worker, laid out so that every shard is one contiguous range of training rows; and
// the per-shard label counts the summary reports.
#include "sim/data/data.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace psim::sim {

namespace {

/// A Gamma(shape, 1) draw: Marsaglia and Tsang, boosted by U^(1/shape) below shape 1.
double gamma_draw(double shape, random_stream& rng) {
  if (shape < 1)
    return gamma_draw(shape + 1, rng) * std::pow(rng.uniform(), 1 / shape);
  double d = shape - 1.0 / 3;
  double c = 1 / std::sqrt(9 * d);
  while (true) {
    double x = rng.normal();
    double v = 1 + c * x;
    if (v <= 0)
      continue;
    v = v * v * v;
    double u = rng.uniform();
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v))
      return d * v;
  }
}

/// `count` rows split by shares drawn from the symmetric Dirichlet(alpha) over `parts`,
/// rounded by largest remainders so that the parts add up to `count`.
std::vector<std::size_t> dirichlet_split(std::size_t count, std::size_t parts, double alpha,
                                         random_stream& rng) {
  std::vector<double> share(parts);
  for (auto& s : share)
    s = gamma_draw(alpha, rng);
  double total = std::accumulate(share.begin(), share.end(), 0.0);
  if (!(total > 0)) { // every draw underflowed (tiny alpha): one part takes all
    std::fill(share.begin(), share.end(), 0.0);
    share[rng.below(parts)] = total = 1;
  }
  std::vector<std::size_t> split(parts);
  std::vector<std::pair<double, std::size_t>> remainders;
  std::size_t given = 0;
  for (std::size_t w = 0; w < parts; ++w) {
    double exact = static_cast<double>(count) * share[w] / total;
    split[w] = static_cast<std::size_t>(std::floor(exact));
    given += split[w];
    remainders.emplace_back(-(exact - std::floor(exact)), w); // largest first, then lowest w
  }
  std::sort(remainders.begin(), remainders.end());
  for (std::size_t k = 0; given < count; ++k, ++given)
    ++split[remainders[k % parts].second];
  return split;
}

} // namespace

std::vector<shard> label_skew(std::vector<std::size_t>& rows, const vector& labels,
                              std::size_t classes, std::size_t workers, double alpha,
                              random_stream& rng) {
  std::vector<std::vector<std::size_t>> by_class(classes);
  for (auto row : rows)
    by_class[static_cast<std::size_t>(labels[static_cast<Eigen::Index>(row)])].push_back(row);
  // counts[c][w]: rows of class c that go to shard w.
  std::vector<std::vector<std::size_t>> counts(classes);
  std::vector<std::size_t> sizes(workers, 0);
  for (std::size_t c = 0; c < classes; ++c) {
    rng.shuffle(by_class[c]);
    counts[c] = dirichlet_split(by_class[c].size(), workers, alpha, rng);
    for (std::size_t w = 0; w < workers; ++w)
      sizes[w] += counts[c][w];
  }
  // No empty shard: an empty one takes a row of the largest shard's largest class. The
  // largest shard then holds at least 2 rows (rows.size() >= workers and one shard is
  // empty), so it never empties in turn; each move fills one empty shard.
  for (std::size_t w = 0; w < workers; ++w) {
    if (sizes[w] > 0)
      continue;
    auto donor = static_cast<std::size_t>(std::max_element(sizes.begin(), sizes.end())
                                          - sizes.begin());
    std::size_t c = 0;
    for (std::size_t k = 1; k < classes; ++k)
      if (counts[k][donor] > counts[c][donor])
        c = k;
    --counts[c][donor];
    --sizes[donor];
    ++counts[c][w];
    ++sizes[w];
  }
  // Lay the shards out one after the other, each taking its rows class by class.
  std::vector<std::size_t> next(classes, 0);
  std::vector<shard> shards;
  rows.clear();
  for (std::size_t w = 0; w < workers; ++w) {
    shards.push_back({rows.size(), sizes[w]});
    for (std::size_t c = 0; c < classes; ++c)
      for (std::size_t k = 0; k < counts[c][w]; ++k)
        rows.push_back(by_class[c][next[c]++]);
  }
  return shards;
}

std::vector<shard_stats> shard_statistics(const prepared_data& data) {
  std::vector<shard_stats> stats;
  for (const auto& s : data.shards) {
    shard_stats st;
    st.rows = s.count;
    st.label_counts.assign(data.classes, 0);
    if (data.classes > 0)
      for (std::size_t i = s.begin; i < s.begin + s.count; ++i)
        ++st.label_counts[static_cast<std::size_t>(data.train.y[static_cast<Eigen::Index>(i)])];
    stats.push_back(std::move(st));
  }
  return stats;
}

} // namespace psim::sim
