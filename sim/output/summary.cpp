// summary.json's JSON writer: keys in contract order, null where a value is undefined.
#include "sim/output/summary.hpp"

#include "sim/output/atomic_file.hpp"
#include "sim/output/lag_histogram.hpp"

#include <nlohmann/json.hpp>

namespace psim::sim {

namespace {

using json = nlohmann::ordered_json;

json optional_number(const std::optional<double>& x) {
  return x ? json(*x) : json(nullptr);
}

json counters(const gradient_counts& g) {
  return json{{"computed", g.computed},   {"applied", g.applied},
              {"discarded_stale", g.discarded_stale}, {"abandoned", g.abandoned},
              {"lost", g.lost},           {"in_flight", g.in_flight}};
}

// Mean, max and the histogram itself.
json staleness(const std::vector<std::uint64_t>& histogram) {
  auto stats = staleness_of(histogram);
  return json{{"mean", optional_number(stats.mean)},
              {"max", stats.max},
              {"histogram", histogram}};
}

json messages(const message_counts& m) {
  return json{{"sent", m.sent},         {"delivered", m.delivered}, {"dropped", m.dropped},
              {"duplicated", m.duplicated}, {"bytes", m.bytes},   {"resent", m.resent},
              {"ignored", m.ignored}};
}

json worker_entry(const worker_summary& w) {
  json entry{{"id", w.id}, {"gradients", w.gradients}, {"crashes", w.crashes},
             {"node", w.node}, {"rows", w.rows}};
  if (!w.labels.empty())
    entry["labels"] = w.labels;
  if (w.online_share) {
    entry["online_share"] = *w.online_share;
    entry["departures"] = w.departures;
  }
  if (!w.params.empty() && w.params.size() <= 1000)
    entry["params"] = w.params;
  if (w.never_computed)
    entry["never_computed"] = true;
  return entry;
}

// Where the workers' array goes in the document, until it is written as text.
const char* const workers_mark = "@psim-workers@";

// The workers' array as dump(2) writes it as a member of the document, built one entry
// at a time: a million workers never stand as JSON values at once.
void append_workers(std::string& text, const std::vector<worker_summary>& all) {
  if (all.empty()) {
    text += "[]";
    return;
  }
  text += "[\n";
  for (std::size_t i = 0; i < all.size(); ++i) {
    auto entry = worker_entry(all[i]).dump(2);
    text += i == 0 ? "    " : ",\n    ";
    for (char c : entry) {
      text += c;
      if (c == '\n')
        text += "    ";
    }
  }
  text += "\n  ]";
}

json faults(const std::vector<fault_summary>& all) {
  auto result = json::array();
  for (const auto& f : all) {
    json entry{{"at", f.at}, {"kind", f.kind}, {"target", f.target}};
    if (f.until)
      entry["until"] = *f.until;
    if (f.rolled_back)
      entry["rolled_back"] = *f.rolled_back;
    result.push_back(std::move(entry));
  }
  return result;
}

// The per-shard lines and the version skew (written only with several shards).
void add_shards(json& j, const run_summary& s) {
  j["shards"] = json::array();
  for (const auto& shard : s.shards)
    j["shards"].push_back(json{{"id", shard.id},
                               {"version", shard.version},
                               {"gradients", counters(shard.gradients)},
                               {"staleness", staleness(shard.staleness_histogram)},
                               {"rolled_back", shard.rolled_back}});
  j["version_skew"] = json{{"mean", optional_number(s.version_skew_mean)},
                           {"max", s.version_skew_max}};
}

// The real clock's lag: how many timed events, p50, p99 and max in seconds, and the
// smallest modelled duration it is judged against. Null when nothing was measured.
json lag(const run_summary& s) {
  lag_histogram histogram;
  histogram.merge(s.lag);
  auto q = histogram.quantiles();
  if (!q)
    return json(nullptr);
  return json{{"events", q->events}, {"p50_s", q->p50}, {"p99_s", q->p99}, {"max_s", q->max},
              {"reference_s", s.lag_reference_s}};
}

} // namespace

staleness_stats staleness_of(const std::vector<std::uint64_t>& histogram) {
  std::uint64_t count = 0;
  double sum = 0;
  staleness_stats stats;
  for (std::size_t k = 0; k < histogram.size(); ++k) {
    count += histogram[k];
    sum += static_cast<double>(k) * static_cast<double>(histogram[k]);
    if (histogram[k] > 0)
      stats.max = k;
  }
  if (count > 0)
    stats.mean = sum / static_cast<double>(count);
  return stats;
}

std::string summary_json(const run_summary& s) {
  json j;
  j["name"] = s.name;
  j["seed"] = s.seed;
  j["mode"] = s.mode;
  j["clock"] = s.clock;
  j["deterministic"] = s.deterministic;
  j["stopped_by"] = std::string{to_string(s.stopped_by)};
  if (!s.error.empty())
    j["error"] = s.error;
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
  j["messages"] = messages(s.messages);
  j["workers"] = workers_mark;
  if (s.shards.size() > 1)
    add_shards(j, s);
  j["faults"] = faults(s.faults);
  if (s.clock == "real")
    j["lag"] = lag(s);
  auto document = j.dump(2) + "\n";
  std::string key = "\"workers\": ";
  auto mark = key + "\"" + workers_mark + "\"";
  auto at = document.find(mark);
  auto text = document.substr(0, at + key.size()); // the document up to the array
  append_workers(text, s.workers);
  return text.append(document, at + mark.size());
}

void write_summary(const std::string& path, const run_summary& summary) {
  write_file_atomically(path, summary_json(summary));
}

} // namespace psim::sim
