// CSV files, class labels, standardization, the test split and sharding, and a
// process-wide cache so that every actor of a run shares one copy of the rows.
#include "sim/data/data.hpp"
#include "sim/output/number_text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>
#include <string_view>

namespace psim::sim {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == line.npos; }

/// One CSV cell: its trimmed, unquoted text and the 1-based column where it starts.
struct cell {
  std::string_view text;
  int column;
};

std::vector<cell> split_cells(std::string_view line) {
  std::vector<cell> cells;
  for (std::size_t start = 0;;) {
    std::size_t end = std::min(line.find(',', start), line.size());
    std::size_t first = start;
    std::size_t last = end;
    while (first < last && is_space(line[first]))
      ++first;
    while (last > first && is_space(line[last - 1]))
      --last;
    int column = static_cast<int>(first) + 1;
    if (last - first >= 2 && line[first] == '"' && line[last - 1] == '"') {
      ++first;
      --last;
    }
    cells.push_back({line.substr(first, last - first), column});
    if (end == line.size())
      return cells;
    start = end + 1;
  }
}

/// The column `target` names: a column name, else a 0-based index, else the last.
std::size_t find_target(const std::string& path, int line,
                        const std::vector<std::string>& names, const std::string& target) {
  if (target.empty())
    return names.size() - 1;
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == target)
      return i;
  std::size_t index = 0;
  auto [end, ec] = std::from_chars(target.data(), target.data() + target.size(), index);
  if (ec == std::errc{} && end == target.data() + target.size()) {
    if (index < names.size())
      return index;
    throw data_error(path, line, 0,
                     fmt::format("target column index {} is out of range ({} columns)",
                                 index, names.size()));
  }
  throw data_error(path, line, 0,
                   fmt::format("no column named \"{}\" (columns: {})", target,
                               fmt::join(names, ", ")));
}

/// Copies the rows `order` names, in that order.
dataset take_rows(const dataset& data, const std::vector<std::size_t>& order) {
  dataset out;
  out.x.resize(static_cast<Eigen::Index>(order.size()), data.x.cols());
  out.y.resize(static_cast<Eigen::Index>(order.size()));
  out.feature_names = data.feature_names;
  for (std::size_t i = 0; i < order.size(); ++i) {
    auto from = static_cast<Eigen::Index>(order[i]);
    out.x.row(static_cast<Eigen::Index>(i)) = data.x.row(from);
    out.y[static_cast<Eigen::Index>(i)] = data.y[from];
  }
  return out;
}

dataset load(const data_config& config, std::uint64_t seed) {
  if (config.source == "synthetic") {
    if (config.generator == "linear")
      return make_linear(config, seed);
    if (config.generator == "logistic")
      return make_logistic(config, seed);
    if (config.generator == "blobs")
      return make_blobs(config, seed);
    throw data_error("", 0, 0,
                     fmt::format("synthetic generator {} is not supported", config.generator));
  }
  if (config.source == "csv")
    return load_csv(config.path, config.target);
  if (config.source == "libsvm")
    return load_libsvm(config.path);
  if (config.source == "mnist")
    return load_mnist(config.path, config.samples);
  throw data_error("", 0, 0, fmt::format("data source {} is not supported", config.source));
}

/// Cuts `n` rows into `workers` contiguous shards whose sizes differ by at most one.
std::vector<shard> even_shards(std::size_t n, std::size_t workers) {
  std::vector<shard> shards;
  for (std::size_t w = 0; w < workers; ++w)
    shards.push_back({w * n / workers, (w + 1) * n / workers - w * n / workers});
  return shards;
}

std::string cache_key(const data_config& c, std::uint64_t seed, std::size_t workers) {
  // Length-prefixed strings keep keys distinct whatever the strings contain.
  auto text = [](const std::string& s) { return fmt::format("{}:{}", s.size(), s); };
  return fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", text(c.source),
                     text(c.generator), c.samples, c.features, fmt::join(c.weights, ","),
                     c.bias, c.noise, c.centers, text(c.path), text(c.target), c.standardize,
                     c.test_fraction, text(c.sharding), c.skew_alpha, c.classes, seed,
                     workers);
}

} // namespace

data_error::data_error(std::string where, int at_line, int at_column,
                       const std::string& message)
  : std::runtime_error(message), file(std::move(where)), line(at_line), column(at_column) {}

void require_regular_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code error;
  auto status = fs::status(path, error);
  if (error || !fs::exists(status))
    throw data_error(path, 0, 0, "cannot open file");
  if (!fs::is_regular_file(status))
    throw data_error(path, 0, 0, "is not a regular file (a directory, device or pipe); "
                                 "allowed: a data file");
  auto bytes = fs::file_size(path, error);
  if (!error && bytes > max_data_file_bytes)
    throw data_error(path, 0, 0, fmt::format("holds {} bytes; allowed: at most {} (2 GiB)",
                                             bytes, max_data_file_bytes));
}

dataset load_csv(const std::string& path, const std::string& target) {
  require_regular_file(path);
  std::ifstream in(path);
  if (!in)
    throw data_error(path, 0, 0, "cannot open file");
  std::string line;
  int line_no = 0;
  std::vector<std::string> names;
  while (names.empty() && std::getline(in, line)) {
    ++line_no;
    if (!is_blank(line))
      for (const auto& c : split_cells(line))
        names.emplace_back(c.text);
  }
  if (names.empty())
    throw data_error(path, 0, 0, "file is empty (a header row is required)");
  if (names.size() < 2)
    throw data_error(path, line_no, 0, "needs a target column and at least one feature");
  std::size_t target_col = find_target(path, line_no, names, target);
  dataset data;
  for (std::size_t j = 0; j < names.size(); ++j)
    if (j != target_col)
      data.feature_names.push_back(names[j]);
  std::vector<double> xs, ys;
  while (std::getline(in, line)) {
    ++line_no;
    if (is_blank(line))
      continue;
    auto cells = split_cells(line);
    if (cells.size() != names.size())
      throw data_error(path, line_no, 0,
                       fmt::format("line {} has {} cells but the header has {}", line_no,
                                   cells.size(), names.size()));
    for (std::size_t j = 0; j < cells.size(); ++j) {
      auto value = parse_number(cells[j].text);
      if (!value)
        throw data_error(path, line_no, cells[j].column,
                         fmt::format("cell \"{}\" in column \"{}\" is not a number",
                                     cells[j].text, names[j]));
      (j == target_col ? ys : xs).push_back(*value);
    }
  }
  if (ys.empty())
    throw data_error(path, 0, 0, "no data rows after the header");
  auto rows = static_cast<Eigen::Index>(ys.size());
  data.x = Eigen::Map<const matrix>(xs.data(), rows, static_cast<Eigen::Index>(names.size() - 1));
  data.y = Eigen::Map<const vector>(ys.data(), rows);
  return data;
}

void standardize(dataset& data) {
  if (data.x.rows() == 0)
    return;
  auto n = static_cast<double>(data.x.rows());
  for (Eigen::Index j = 0; j < data.x.cols(); ++j) {
    auto col = data.x.col(j);
    if (col.minCoeff() == col.maxCoeff()) {
      col.setZero(); // exact centring; subtracting a rounded mean could leave noise
      continue;
    }
    col.array() -= col.mean();
    col /= std::sqrt(col.squaredNorm() / n);
  }
}

prepared_data prepare_data(const data_config& config, std::uint64_t seed,
                           std::size_t workers) {
  if (config.sharding != "contiguous" && config.sharding != "shuffled"
      && config.sharding != "label_skew")
    throw data_error("", 0, 0, fmt::format("sharding {} is not supported", config.sharding));
  if (config.sharding == "label_skew" && config.classes == 0)
    throw data_error("", 0, 0, "label_skew sharding needs class labels (a classifier model)");
  if (workers == 0)
    throw data_error("", 0, 0, "the data cannot be shared by 0 workers");
  dataset all = load(config, seed);
  if (config.classes > 0)
    encode_classes(all.y, config.classes);
  if (config.standardize)
    standardize(all);
  std::vector<std::size_t> order(all.rows());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::size_t n_test = 0;
  if (config.test_fraction > 0) {
    auto wanted = std::llround(static_cast<double>(all.rows()) * config.test_fraction);
    n_test = std::min(all.rows(), static_cast<std::size_t>(wanted));
    random_stream split(seed, "data-split");
    split.shuffle(order);
  }
  std::vector<std::size_t> test_rows(order.begin(), order.begin() + n_test);
  std::vector<std::size_t> train_rows(order.begin() + n_test, order.end());
  if (train_rows.size() < workers)
    throw data_error("", 0, 0,
                     fmt::format("{} training rows ({} samples, {} held out for testing) are "
                                 "too few for {} workers: each needs at least one row",
                                 train_rows.size(), all.rows(), n_test, workers));
  prepared_data out;
  out.classes = config.classes;
  random_stream sharding(seed, "sharding");
  if (config.sharding == "label_skew") {
    out.shards = label_skew(train_rows, all.y, config.classes, workers, config.skew_alpha,
                            sharding);
  } else {
    if (config.sharding == "shuffled")
      sharding.shuffle(train_rows);
    out.shards = even_shards(train_rows.size(), workers);
  }
  out.test = take_rows(all, test_rows);
  // All rows in their order (nothing held out, nothing shuffled): the rows themselves.
  bool all_in_order = train_rows.size() == all.rows();
  for (std::size_t i = 0; all_in_order && i < train_rows.size(); ++i)
    all_in_order = train_rows[i] == i;
  out.train = all_in_order ? std::move(all) : take_rows(all, train_rows);
  return out;
}

std::shared_ptr<const prepared_data>
shared_data(const data_config& config, std::uint64_t seed, std::size_t workers) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const prepared_data>> cache;
  auto key = cache_key(config, seed, workers);
  std::lock_guard<std::mutex> guard{mutex}; // later askers wait rather than prepare twice
  if (auto found = cache.find(key); found != cache.end())
    return found->second;
  auto data = std::make_shared<const prepared_data>(prepare_data(config, seed, workers));
  cache.emplace(std::move(key), data);
  return data;
}

} // namespace psim::sim
