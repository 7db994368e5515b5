// Test support: temporary folders, and reading back what a run wrote.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace psim::test {

/// A fresh empty folder under the system's temporary directory.
inline std::string temp_folder(const std::string& tag) {
  static std::mt19937_64 names{std::random_device{}()};
  auto dir = std::filesystem::temp_directory_path()
             / ("psim-test-" + tag + "-" + std::to_string(names()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

/// The whole content of a file ("" if it does not exist).
inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// Writes `text` to `path`.
inline void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

/// The lines of `text`.
inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

/// summary.json of the run folder `dir`.
inline nlohmann::ordered_json read_summary(const std::string& dir) {
  return nlohmann::ordered_json::parse(read_text(dir + "/summary.json"));
}

/// metrics.csv of `dir` as rows of column name -> cell text.
inline std::vector<std::map<std::string, std::string>> read_metrics(const std::string& dir) {
  std::istringstream in(read_text(dir + "/metrics.csv"));
  std::string line;
  std::vector<std::string> header;
  std::vector<std::map<std::string, std::string>> rows;
  auto split = [](const std::string& text) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream s(text);
    while (std::getline(s, cell, ','))
      cells.push_back(cell);
    if (!text.empty() && text.back() == ',')
      cells.emplace_back();
    return cells;
  };
  if (std::getline(in, line))
    header = split(line);
  while (std::getline(in, line)) {
    auto cells = split(line);
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i)
      row[header[i]] = cells[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

/// metrics.csv without its `wall` column, for byte comparisons between runs.
inline std::string metrics_without_wall(const std::string& dir) {
  std::istringstream in(read_text(dir + "/metrics.csv"));
  std::string line, out;
  while (std::getline(in, line)) {
    auto first = line.find(',');
    auto second = line.find(',', first + 1);
    out += line.substr(0, first) + line.substr(second) + "\n";
  }
  return out;
}

} // namespace psim::test
