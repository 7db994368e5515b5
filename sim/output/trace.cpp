// Writers of metrics.csv and summary.json.
#include "sim/output/trace.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace psim::sim {

namespace {

std::string cell(const std::optional<double>& x) {
  return x ? fmt::format("{}", *x) : std::string{};
}

nlohmann::ordered_json optional_number(const std::optional<double>& x) {
  return x ? nlohmann::ordered_json(*x) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json counters(const gradient_counts& g) {
  return nlohmann::ordered_json{{"computed", g.computed},
                                {"applied", g.applied},
                                {"discarded_stale", g.discarded_stale},
                                {"abandoned", g.abandoned},
                                {"lost", g.lost},
                                {"in_flight", g.in_flight}};
}

// Mean, max and the histogram itself.
nlohmann::ordered_json staleness(const std::vector<std::uint64_t>& histogram) {
  std::uint64_t count = 0;
  double sum = 0;
  std::size_t max = 0;
  for (std::size_t k = 0; k < histogram.size(); ++k) {
    count += histogram[k];
    sum += static_cast<double>(k) * static_cast<double>(histogram[k]);
    if (histogram[k] > 0)
      max = k;
  }
  using json = nlohmann::ordered_json;
  return json{{"mean", count > 0 ? json(sum / static_cast<double>(count)) : json(nullptr)},
              {"max", max},
              {"histogram", histogram}};
}

} // namespace

metrics_writer::metrics_writer(const std::string& path)
  : file_(std::fopen(path.c_str(), "w")) {
  if (file_ == nullptr)
    throw std::runtime_error(
      fmt::format("cannot write {}: {}", path, std::strerror(errno)));
  std::fputs("time,wall,version,gradients,train_loss,test_loss,test_accuracy,"
             "staleness_mean\n",
             file_);
  std::fflush(file_);
}

metrics_writer::~metrics_writer() {
  std::fclose(file_);
}

void metrics_writer::write(const metrics_row& row) {
  auto line = fmt::format("{},{},{},{},{},{},{},{}\n", row.time, row.wall, row.version,
                          row.gradients, row.train_loss, cell(row.test_loss),
                          cell(row.test_accuracy), cell(row.staleness_mean));
  std::fputs(line.c_str(), file_);
  std::fflush(file_);
}

void write_file_atomically(const std::string& path, const std::string& text) {
  auto tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out)
      throw std::runtime_error(fmt::format("cannot write {}", tmp));
  }
  std::filesystem::rename(tmp, path);
}

void write_summary(const std::string& path, const run_summary& s) {
  using json = nlohmann::ordered_json;
  json j;
  j["name"] = s.name;
  j["seed"] = s.seed;
  j["mode"] = s.mode;
  j["clock"] = s.clock;
  j["deterministic"] = s.deterministic;
  j["stopped_by"] = s.stopped_by;
  j["version"] = s.version;
  j["time_s"] = s.time_s;
  j["wall_s"] = s.wall_s;
  j["time_per_version_s"] = s.version > 0 ? json(s.time_s / static_cast<double>(s.version))
                                          : json(nullptr);
  j["final"] = json{{"train_loss", optional_number(s.train_loss)},
                    {"test_loss", optional_number(s.test_loss)},
                    {"test_accuracy", optional_number(s.test_accuracy)}};
  if (!s.params.empty() && s.params.size() <= 1000)
    j["params"] = s.params;
  j["gradients"] = counters(s.gradients);
  j["staleness"] = staleness(s.staleness_histogram);
  const auto& m = s.messages;
  j["messages"] = json{{"sent", m.sent},
                       {"delivered", m.delivered},
                       {"dropped", m.dropped},
                       {"duplicated", m.duplicated},
                       {"bytes", m.bytes},
                       {"resent", m.resent},
                       {"ignored", m.ignored}};
  j["workers"] = json::array();
  for (const auto& w : s.workers) {
    json entry{{"id", w.id}, {"gradients", w.gradients}, {"crashes", w.crashes},
               {"node", w.node}, {"rows", w.rows}};
    if (!w.labels.empty())
      entry["labels"] = w.labels;
    if (!w.params.empty() && w.params.size() <= 1000)
      entry["params"] = w.params;
    j["workers"].push_back(std::move(entry));
  }
  if (s.shards.size() > 1) {
    j["shards"] = json::array();
    for (const auto& shard : s.shards)
      j["shards"].push_back(json{{"id", shard.id},
                                 {"version", shard.version},
                                 {"gradients", counters(shard.gradients)},
                                 {"staleness", staleness(shard.staleness_histogram)},
                                 {"rolled_back", shard.rolled_back}});
    j["version_skew"] = json{{"mean", s.version_skew_mean ? json(*s.version_skew_mean)
                                                          : json(nullptr)},
                             {"max", s.version_skew_max}};
  }
  j["faults"] = json::array();
  for (const auto& f : s.faults) {
    json entry{{"at", f.at}, {"kind", f.kind}, {"target", f.target}};
    if (f.until)
      entry["until"] = *f.until;
    if (f.rolled_back)
      entry["rolled_back"] = *f.rolled_back;
    j["faults"].push_back(std::move(entry));
  }
  write_file_atomically(path, j.dump(2) + "\n");
}

} // namespace psim::sim
