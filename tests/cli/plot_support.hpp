// Test support for psim plot and psim sweep: a tiny scenario, running it, reading
// the data behind a figure (--describe) and CSV files with quoted cells.
#pragma once

#include "tests/support/psim_process.hpp"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

namespace psim::test {

/// A scenario of 200 async updates by 2 workers: a run takes milliseconds.
inline const char* tiny_scenario = R"(name = "tiny"
seed = 1
[run]
stop = { updates = 200 }
eval_every = 10
[data]
samples = 200
features = 1
weights = [2.0]
bias = 1.0
noise = 0.1
[training]
mode = "async"
learning_rate = 0.05
batch_size = 8
[cluster]
workers = 2
)";

/// Writes the tiny scenario to a fresh folder; returns its path.
inline std::string tiny_scenario_file() {
  auto file = temp_folder("scenario") + "/tiny.toml";
  write_text(file, tiny_scenario);
  return file;
}

/// Runs the tiny scenario into `dir` with `extra` arguments; returns `dir`.
inline std::string run_tiny(const std::string& dir, const std::string& extra = "") {
  auto r = run_psim("run '" + tiny_scenario_file() + "' -o '" + dir + "' --quiet " + extra);
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  return dir;
}

/// Runs `psim plot <args> --describe FILE` and returns the data behind the figure.
inline nlohmann::json describe_plot(const std::string& args) {
  auto file = temp_folder("describe") + "/figure.json";
  auto r = run_psim("plot " + args + " --describe '" + file + "'");
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  CHECK(r.out.rfind("psim: wrote ", 0) == 0);
  return nlohmann::json::parse(read_text(file));
}

/// The panel called `name` of a described figure (fails the test when absent).
inline const nlohmann::json& panel(const nlohmann::json& figure, const std::string& name) {
  for (const auto& p : figure["panels"])
    if (p["name"] == name)
      return p;
  FAIL("no panel " << name << " in " << figure.dump());
  static const nlohmann::json none;
  return none;
}

/// True when `path` holds a PNG picture.
inline bool is_png(const std::string& path) {
  return read_text(path).rfind("\x89PNG", 0) == 0;
}

/// Rows of a CSV file (cells may be quoted) as column name -> cell text.
inline std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  std::vector<std::vector<std::string>> lines{{}};
  std::string cell;
  bool quoted = false;
  auto text = read_text(path);
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted && c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
      cell += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == ',') {
      lines.back().push_back(cell);
      cell.clear();
    } else if (!quoted && c == '\n') {
      lines.back().push_back(cell);
      cell.clear();
      lines.emplace_back();
    } else {
      cell += c;
    }
  }
  std::vector<std::map<std::string, std::string>> rows;
  for (std::size_t r = 1; r < lines.size(); ++r) {
    if (lines[r].empty())
      continue;
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < lines[0].size() && c < lines[r].size(); ++c)
      row[lines[0][c]] = lines[r][c];
    rows.push_back(std::move(row));
  }
  return rows;
}

/// The header of a CSV file, split at commas.
inline std::vector<std::string> csv_header(const std::string& path) {
  auto text = read_text(path);
  std::vector<std::string> out;
  std::string line = text.substr(0, text.find('\n')), cell;
  for (char c : line + ",") {
    if (c == ',') {
      out.push_back(cell);
      cell.clear();
    } else {
      cell += c;
    }
  }
  return out;
}

} // namespace psim::test
