// The LIBSVM (SVMlight) text format: "label index:value ..." per line, sparse with
// 1-based indices, read into a dense data set; every mistake is located at
// file:line:column.
#include "sim/data/data.hpp"
#include "sim/output/number_text.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <fstream>

namespace psim::sim {

namespace {

/// Dense values allowed in memory: 10^8 doubles are 800 MB.
constexpr double max_dense_values = 1e8;

/// One whitespace-separated token of a line and its 1-based column.
struct token {
  std::string_view text;
  int column;
};

/// The tokens of `line` before any '#' comment.
std::vector<token> tokens_of(std::string_view line) {
  line = line.substr(0, line.find('#'));
  std::vector<token> tokens;
  std::size_t i = 0;
  while (true) {
    i = line.find_first_not_of(" \t\r", i);
    if (i == std::string_view::npos)
      return tokens;
    std::size_t end = std::min(line.find_first_of(" \t\r", i), line.size());
    tokens.push_back({line.substr(i, end - i), static_cast<int>(i) + 1});
    i = end;
  }
}

/// Reads the file line by line, calling `on_row(label, features, line, path)` for each
/// sample line; blank and comment-only lines are skipped.
template <class OnRow>
void each_row(const std::string& path, OnRow&& on_row) {
  require_regular_file(path);
  std::ifstream in(path);
  if (!in)
    throw data_error(path, 0, 0, "cannot open file");
  std::string text;
  int line = 0;
  while (std::getline(in, text)) {
    ++line;
    auto tokens = tokens_of(text);
    if (tokens.empty())
      continue;
    auto label = parse_number(tokens[0].text);
    if (!label)
      throw data_error(path, line, tokens[0].column,
                       fmt::format("label \"{}\" is not a number", tokens[0].text));
    on_row(*label, tokens, line);
  }
}

} // namespace

dataset load_libsvm(const std::string& path) {
  std::vector<double> labels;
  std::vector<std::size_t> row_start{0};
  std::vector<std::uint32_t> columns; // 0-based
  std::vector<double> values;
  std::uint64_t features = 0;
  each_row(path, [&](double label, const std::vector<token>& tokens, int line) {
    std::uint64_t previous = 0;
    for (std::size_t t = 1; t < tokens.size(); ++t) {
      auto [text, column] = tokens[t];
      auto colon = text.find(':');
      if (colon == std::string_view::npos)
        throw data_error(path, line, column,
                         fmt::format("found \"{}\"; expected index:value", text));
      auto index_text = text.substr(0, colon);
      std::uint64_t index = 0;
      auto [end, ec] = std::from_chars(index_text.data(), index_text.data() + colon, index);
      if (ec != std::errc{} || end != index_text.data() + colon || index < 1
          || index > UINT32_MAX)
        throw data_error(path, line, column,
                         fmt::format("feature index \"{}\" is not an integer in [1, {}]",
                                     index_text, UINT32_MAX));
      if (index <= previous)
        throw data_error(path, line, column,
                         fmt::format("feature index {} follows {}; indices must increase "
                                     "along a line", index, previous));
      auto value = parse_number(text.substr(colon + 1));
      if (!value)
        throw data_error(path, line, column + static_cast<int>(colon) + 1,
                         fmt::format("value \"{}\" of feature {} is not a number",
                                     text.substr(colon + 1), index));
      previous = index;
      features = std::max(features, index);
      columns.push_back(static_cast<std::uint32_t>(index - 1));
      values.push_back(*value);
    }
    labels.push_back(label);
    row_start.push_back(columns.size());
  });
  if (labels.empty())
    throw data_error(path, 0, 0, "no samples (every line is blank or a comment)");
  if (features == 0)
    throw data_error(path, 0, 0, "no features: no line has an index:value pair");
  double dense = static_cast<double>(labels.size()) * static_cast<double>(features);
  if (dense > max_dense_values)
    throw data_error(path, 0, 0,
                     fmt::format("{} rows x {} features (the largest index) are {:.3g} values "
                                 "held dense in memory; at most 1e8 (800 MB) are allowed",
                                 labels.size(), features, dense));
  dataset data;
  auto rows = static_cast<Eigen::Index>(labels.size());
  data.x = matrix::Zero(rows, static_cast<Eigen::Index>(features));
  data.y = Eigen::Map<const vector>(labels.data(), rows);
  for (Eigen::Index i = 0; i < rows; ++i)
    for (auto k = row_start[static_cast<std::size_t>(i)];
         k < row_start[static_cast<std::size_t>(i) + 1]; ++k)
      data.x(i, columns[k]) = values[k];
  return data;
}

std::vector<double> libsvm_labels(const std::string& path) {
  std::vector<double> labels;
  each_row(path, [&](double label, const std::vector<token>&, int) { labels.push_back(label); });
  return labels;
}

} // namespace psim::sim
