// sweep.csv, sweep.json and the closing table of psim sweep.
#include "tools/cli/sweep_results.hpp"

#include "sim/output/atomic_file.hpp"
#include "sim/output/stop_reason.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

namespace psim::cli {

namespace {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ','))
    cells.push_back(cell);
  if (!line.empty() && line.back() == ',')
    cells.emplace_back();
  return cells;
}

// A CSV cell, quoted when it holds a comma, a quote or a line break.
std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos)
    return text;
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? std::string{"\"\""} : std::string{c};
  return out + "\"";
}

// A number of summary.json as written there ("" for null or absent).
std::string cell(const nlohmann::json& j, std::initializer_list<const char*> path) {
  const auto* at = &j;
  for (auto key : path) {
    if (!at->is_object() || !at->contains(key))
      return "";
    at = &(*at)[key];
  }
  if (at->is_string())
    return at->get<std::string>();
  return at->is_number() ? at->dump() : "";
}

// Mean and sample standard deviation.
std::pair<double, double> mean_std(const std::vector<double>& xs) {
  double mean = 0;
  for (auto x : xs)
    mean += x / static_cast<double>(xs.size());
  double squares = 0;
  for (auto x : xs)
    squares += (x - mean) * (x - mean);
  return {mean, xs.size() > 1 ? std::sqrt(squares / static_cast<double>(xs.size() - 1)) : 0.0};
}

// True when any finished run ran under the real clock: the sweep then shows their lag.
bool any_real_clock(const std::vector<run_result>& results) {
  return std::any_of(results.begin(), results.end(), [](const run_result& r) {
    return r.finished && r.summary.value("clock", "") == "real";
  });
}

} // namespace

bool failed_run(const run_result& r) {
  auto stopped_by = sim::parse_stop_reason(r.summary.value("stopped_by", ""));
  return r.finished && stopped_by && sim::is_failure(*stopped_by);
}

run_result read_run(const std::string& dir, std::optional<double> target_loss, int tail) {
  run_result out;
  std::ifstream summary(dir + "/summary.json");
  if (!summary)
    return out;
  out.summary = nlohmann::json::parse(summary, nullptr, false);
  auto stopped_by = out.summary.is_object()
                      ? sim::parse_stop_reason(out.summary.value("stopped_by", ""))
                      : std::nullopt;
  out.finished = stopped_by && *stopped_by != sim::stop_reason::interrupted;
  if (!out.finished)
    return out;
  std::ifstream metrics(dir + "/metrics.csv");
  std::string line;
  std::getline(metrics, line);
  auto header = split_csv_line(line);
  auto column = [&](const std::string& name) {
    for (std::size_t i = 0; i < header.size(); ++i)
      if (header[i] == name)
        return i;
    return header.size();
  };
  auto time = column("time"), version = column("version"), loss = column("train_loss");
  std::vector<double> losses;
  while (std::getline(metrics, line)) {
    auto cells = split_csv_line(line);
    if (loss >= cells.size() || cells[loss].empty() || time >= cells.size()
        || version >= cells.size())
      continue;
    char* end = nullptr;
    auto value = std::strtod(cells[loss].c_str(), &end);
    if (end == cells[loss].c_str())
      continue;
    if (losses.empty() || value < *std::min_element(losses.begin(), losses.end()))
      out.best_train_loss = cells[loss];
    losses.push_back(value);
    if (target_loss && out.time_to_target.empty() && value <= *target_loss) {
      out.time_to_target = cells[time];
      out.version_to_target = cells[version];
    }
  }
  auto k = std::min(losses.size(), static_cast<std::size_t>(std::max(tail, 1)));
  if (k > 0) {
    std::vector<double> last(losses.end() - static_cast<std::ptrdiff_t>(k), losses.end());
    out.tail_train_loss = fmt::format("{}", mean_std(last).first);
  }
  return out;
}

void write_sweep_files(const std::string& dir, const sweep_definition& sweep,
                       const std::vector<grid_point>& points,
                       const std::vector<run_result>& results) {
  std::string csv = "run";
  for (const auto& k : sweep.keys)
    csv += "," + csv_cell(k.key);
  csv += ",seed,stopped_by,version,time_s,train_loss,test_loss,test_accuracy,"
         "staleness_mean,staleness_max,gradients_applied,gradients_lost,messages_dropped,"
         "messages_resent,best_train_loss,train_loss_tail,wall_s";
  if (sweep.target_loss)
    csv += ",time_to_target,version_to_target";
  auto real = any_real_clock(results);
  if (real)
    csv += ",lag_p99_s,lag_verdict";
  csv += "\n";
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& r = results[i];
    if (!r.finished)
      continue;
    const auto& s = r.summary;
    csv += csv_cell(points[i].folder);
    for (const auto& v : points[i].values)
      csv += "," + csv_cell(v);
    csv += fmt::format(",{}", points[i].seed);
    for (auto path : {std::initializer_list<const char*>{"stopped_by"}, {"version"}, {"time_s"},
                      {"final", "train_loss"}, {"final", "test_loss"},
                      {"final", "test_accuracy"}, {"staleness", "mean"},
                      {"staleness", "max"}, {"gradients", "applied"},
                      {"gradients", "lost"}, {"messages", "dropped"}, {"messages", "resent"}})
      csv += "," + csv_cell(cell(s, path));
    csv += "," + r.best_train_loss + "," + r.tail_train_loss + "," + cell(s, {"wall_s"});
    if (sweep.target_loss)
      csv += "," + r.time_to_target + "," + r.version_to_target;
    if (real)
      csv += "," + cell(s, {"lag", "p99_s"}) + "," + cell(s, {"lag", "verdict"});
    csv += "\n";
  }
  sim::write_file_atomically(dir + "/sweep.csv", csv);

  nlohmann::ordered_json def;
  def["scenario"] = sweep.scenario;
  def["name"] = sweep.name;
  def["vary"] = nlohmann::ordered_json::array();
  for (const auto& k : sweep.keys)
    def["vary"].push_back({{"key", k.key}, {"short", k.short_name}, {"values", k.values}});
  def["set"] = sweep.overrides;
  def["repeat"] = sweep.repeat;
  def["seeds"] = nlohmann::ordered_json::array();
  for (int r = 0; r < sweep.repeat; ++r)
    def["seeds"].push_back(sweep.first_seed + static_cast<std::uint64_t>(r));
  def["tail"] = sweep.tail;
  def["target_loss"] = sweep.target_loss ? nlohmann::ordered_json(*sweep.target_loss)
                                         : nlohmann::ordered_json(nullptr);
  def["runs"] = points.size();
  sim::write_file_atomically(dir + "/sweep.json", def.dump(2) + "\n");
}

namespace {

// One grid point's finished runs, for the table.
struct point_group {
  int runs = 0;                       ///< finished runs
  std::vector<double> losses;         ///< final train losses of the successful ones
  std::vector<double> times;          ///< their times to the target, where reached
  std::multiset<std::string> failed;  ///< stopped_by of the diverged or stalled ones
  int fell_behind = 0;                ///< real clock: runs whose lag says they fell behind
  int may_reorder = 0;                ///< real clock: runs late by more than a duration
};

// A real-clock grid point's verdict: the worst of its runs', with how many had it.
std::string lag_cell(const point_group& g) {
  if (g.fell_behind > 0)
    return fmt::format("fell behind {}/{}", g.fell_behind, g.runs);
  if (g.may_reorder > 0)
    return fmt::format("may reorder {}/{}", g.may_reorder, g.runs);
  return g.runs > 0 ? "on time" : "-";
}

// The table's header: the varied keys, then the columns; fills each key's width.
std::string table_header(const sweep_definition& sweep, bool real,
                         std::vector<std::size_t>& widths) {
  std::string header = "  ";
  for (const auto& k : sweep.keys) {
    std::size_t w = k.short_name.size();
    for (const auto& v : k.values)
      w = std::max(w, v.size());
    widths.push_back(w + 2);
    header += fmt::format("{:<{}}", k.short_name, w + 2);
  }
  header += fmt::format("{:<6}{:<26}", "runs", "train_loss mean ± std");
  if (sweep.target_loss)
    header += fmt::format("{:<36}", fmt::format("time to {:g} mean ± std (reached)",
                                                *sweep.target_loss));
  if (real)
    header += fmt::format("{:<20}", "real clock");
  return header + "failed";
}

// One grid point's line of the table.
std::string table_line(const sweep_definition& sweep, bool real,
                       const std::vector<std::string>& key,
                       const std::vector<std::size_t>& widths, const point_group& g) {
  std::string line = "  ";
  for (std::size_t j = 0; j < key.size(); ++j)
    line += fmt::format("{:<{}}", key[j], widths[j]);
  auto [lm, ls] = mean_std(g.losses);
  line += fmt::format("{:<6}{:<26}", g.runs,
                      g.losses.empty() ? "-" : fmt::format("{:.4g} ± {:.2g}", lm, ls));
  if (sweep.target_loss) {
    auto [tm, ts] = mean_std(g.times);
    line += fmt::format("{:<36}", g.times.empty()
                                    ? fmt::format("- (0/{})", g.runs)
                                    : fmt::format("{:.4g} ± {:.2g} s ({}/{})", tm, ts,
                                                  g.times.size(), g.runs));
  }
  if (real)
    line += fmt::format("{:<20}", lag_cell(g));
  if (!g.failed.empty())
    line += fmt::format("{}/{} {}", g.failed.size(), g.runs,
                        g.failed.count(*g.failed.begin()) == g.failed.size() ? *g.failed.begin()
                                                                             : "failed");
  return line;
}

} // namespace

std::string sweep_table(const sweep_definition& sweep, const std::vector<grid_point>& points,
                        const std::vector<run_result>& results) {
  // Grid points (values without the seed) in grid order, each with its finished runs.
  std::vector<std::vector<std::string>> order;
  std::map<std::vector<std::string>, point_group> groups;
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto& key = points[i].values;
    if (groups.count(key) == 0)
      order.push_back(key);
    auto& g = groups[key];
    const auto& r = results[i];
    if (!r.finished)
      continue;
    ++g.runs;
    auto verdict = cell(r.summary, {"lag", "verdict"});
    g.fell_behind += verdict == "fell_behind";
    g.may_reorder += verdict == "may_reorder";
    if (failed_run(r)) { // never averaged in: counted, and named in the table
      g.failed.insert(r.summary.value("stopped_by", ""));
      continue;
    }
    if (r.summary["final"]["train_loss"].is_number())
      g.losses.push_back(r.summary["final"]["train_loss"].get<double>());
    if (!r.time_to_target.empty())
      g.times.push_back(std::strtod(r.time_to_target.c_str(), nullptr));
  }
  auto real = any_real_clock(results);
  std::vector<std::size_t> widths;
  auto header = table_header(sweep, real, widths);
  std::string table = header.substr(0, header.find_last_not_of(' ') + 1) + "\n";
  for (const auto& key : order) {
    auto line = table_line(sweep, real, key, widths, groups[key]);
    table += line.substr(0, line.find_last_not_of(' ') + 1) + "\n";
  }
  return table;
}

void print_sweep_table(const sweep_definition& sweep, const std::vector<grid_point>& points,
                       const std::vector<run_result>& results) {
  fmt::print("{}", sweep_table(sweep, points, results));
}

} // namespace psim::cli
