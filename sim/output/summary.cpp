// summary.json's JSON writer: keys in contract order, null where a value is undefined.
#include "sim/output/summary.hpp"

#include "sim/output/atomic_file.hpp"
#include "sim/output/lag_histogram.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <sstream>
#include <string>
#include <vector>

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

// A large array stands in the document as a mark until the document is written out: a
// million workers, or the histogram of millions of staleness values, never stand as
// JSON values, nor the file as one string. A mark is an empty binary value whose subtype
// numbers the part: dump(2) writes it as an object with the member "bytes", which no
// string can forge (dump escapes the quotes inside strings) and no other object has.
class large_parts {
public:
  /// The mark of a part that `write` writes, given the indentation of its member.
  json add(std::function<void(std::ostream&, const std::string&)> write) {
    writers_.push_back(std::move(write));
    return json::binary({}, writers_.size() - 1);
  }

  /// Writes `document` (dump(2) text) to `out` with each mark replaced by its part.
  void write(std::ostream& out, const std::string& document) const {
    static const std::string bytes = "\"bytes\": [],\n";
    static const std::string subtype = "\"subtype\": ";
    std::size_t from = 0;
    for (auto at = document.find(bytes); at != std::string::npos;
         at = document.find(bytes, from)) {
      auto open = document.rfind('{', at);
      auto line = document.rfind('\n', open) + 1; // 0 when the mark is on the first line
      auto indent = std::string(document.find_first_not_of(' ', line) - line, ' ');
      auto number = document.find(subtype, at) + subtype.size();
      auto close = document.find('}', number);
      out.write(document.data() + from, static_cast<std::streamsize>(open - from));
      writers_.at(std::stoul(document.substr(number, close - number)))(out, indent);
      from = close + 1;
    }
    out.write(document.data() + from, static_cast<std::streamsize>(document.size() - from));
  }

private:
  std::vector<std::function<void(std::ostream&, const std::string&)>> writers_;
};

// An array of `count` values as dump(2) writes it as a member indented by `indent`:
// `write_value(i, inner)` writes value i, its own lines (if any) indented by `inner`.
template <class WriteValue>
void write_array(std::ostream& out, std::size_t count, const std::string& indent,
                 WriteValue write_value) {
  if (count == 0) {
    out << "[]";
    return;
  }
  auto inner = indent + "  ";
  out << "[\n";
  for (std::size_t i = 0; i < count; ++i) {
    out << (i == 0 ? "" : ",\n") << inner;
    write_value(i, inner);
  }
  out << '\n' << indent << ']';
}

// Mean, max and the histogram itself.
json staleness(const std::vector<std::uint64_t>& histogram, large_parts& parts) {
  auto stats = staleness_of(histogram);
  return json{{"mean", optional_number(stats.mean)},
              {"max", stats.max},
              {"histogram", parts.add([&histogram](std::ostream& out, const std::string& indent) {
                 write_array(out, histogram.size(), indent,
                             [&](std::size_t i, const std::string&) { out << histogram[i]; });
               })}};
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

// The workers' array, built one entry at a time.
void write_workers(std::ostream& out, const std::vector<worker_summary>& all,
                   const std::string& indent) {
  write_array(out, all.size(), indent, [&](std::size_t i, const std::string& inner) {
    for (char c : worker_entry(all[i]).dump(2)) {
      out << c;
      if (c == '\n')
        out << inner;
    }
  });
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
void add_shards(json& j, const run_summary& s, large_parts& parts) {
  j["shards"] = json::array();
  for (const auto& shard : s.shards)
    j["shards"].push_back(json{{"id", shard.id},
                               {"version", shard.version},
                               {"gradients", counters(shard.gradients)},
                               {"staleness", staleness(shard.staleness_histogram, parts)},
                               {"rolled_back", shard.rolled_back}});
  j["version_skew"] = json{{"mean", optional_number(s.version_skew_mean)},
                           {"max", s.version_skew_max}};
}

// The real clock's lag: how many timed events, p50, p99 and max in seconds, the smallest
// modelled duration it is judged against and the verdict. Null when nothing was measured.
json lag(const run_summary& s) {
  lag_histogram histogram;
  histogram.merge(s.lag);
  auto q = histogram.quantiles();
  if (!q)
    return json(nullptr);
  return json{{"events", q->events}, {"p50_s", q->p50}, {"p99_s", q->p99}, {"max_s", q->max},
              {"reference_s", s.lag_reference_s},
              {"verdict", to_string(judge_lag(*q, s.time_s, s.lag_reference_s))}};
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

namespace {

// summary.json's text, written to `out` as it is made.
void write_summary_json(std::ostream& out, const run_summary& s) {
  large_parts parts;
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
  j["staleness"] = staleness(s.staleness_histogram, parts);
  j["messages"] = messages(s.messages);
  j["workers"] = parts.add([&s](std::ostream& o, const std::string& indent) {
    write_workers(o, s.workers, indent);
  });
  if (s.shards.size() > 1)
    add_shards(j, s, parts);
  j["faults"] = faults(s.faults);
  if (s.clock == "real")
    j["lag"] = lag(s);
  parts.write(out, j.dump(2) + "\n");
}

} // namespace

std::string summary_json(const run_summary& s) {
  std::ostringstream out;
  write_summary_json(out, s);
  return out.str();
}

void write_summary(const std::string& path, const run_summary& summary) {
  write_file_atomically(path, [&summary](std::ostream& out) { write_summary_json(out, summary); });
}

} // namespace psim::sim
