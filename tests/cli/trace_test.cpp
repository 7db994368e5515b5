// psim trace on crash-and-recover: the Trace Event JSON opens in Perfetto (every slice
// closed, times monotone per track, flows paired, names documented) and shows the
// worker's crash and restart, the server's crash and the faults.
#include "tests/cli/plot_support.hpp"

#include <doctest/doctest.h>

#include <map>
#include <set>

using namespace psim::test;

namespace {

using json = nlohmann::json;

// crash-and-recover with events.csv, exported to trace.json; returns the run folder.
std::string traced_crash_run() {
  auto dir = temp_folder("trace") + "/run";
  auto r = run_psim("run scenarios/crash-and-recover.toml -o '" + dir
                    + "' --quiet --set trace.events=true");
  CAPTURE(r.err);
  REQUIRE(r.code == 0);
  auto t = run_psim("trace '" + dir + "'");
  CAPTURE(t.err);
  REQUIRE(t.code == 0);
  CHECK(t.out.rfind("psim: wrote " + dir + "/trace.json (", 0) == 0);
  return dir;
}

// (pid, tid) -> the track's name, from the thread_name metadata.
std::map<std::pair<int, int>, std::string> track_names(const json& events) {
  std::map<std::pair<int, int>, std::string> out;
  for (const auto& e : events)
    if (e["ph"] == "M" && e["name"] == "thread_name")
      out[{e["pid"].get<int>(), e["tid"].get<int>()}] = e["args"]["name"];
  return out;
}

// The events named `name` with phase `ph` on the track called `track`.
std::vector<json> on_track(const json& events, const std::string& track, const std::string& ph,
                           const std::string& name) {
  auto names = track_names(events);
  std::vector<json> out;
  for (const auto& e : events)
    if (e["ph"] == ph && e["name"] == name && e.contains("tid")
        && names[{e["pid"].get<int>(), e["tid"].get<int>()}] == track)
      out.push_back(e);
  return out;
}

std::size_t count_events(const std::string& dir, const std::string& event) {
  std::size_t n = 0;
  for (auto& row : read_csv(dir + "/events.csv"))
    n += row["event"] == event;
  return n;
}

} // namespace

TEST_SUITE("cli.trace") {

TEST_CASE("the trace's slices are closed, monotone per track, and its flows paired") {
  auto dir = traced_crash_run();
  auto events = json::parse(read_text(dir + "/trace.json"))["traceEvents"];
  std::map<std::pair<int, int>, double> last;
  std::map<std::pair<int, int>, int> open;
  std::map<long long, std::string> flows;
  for (const auto& e : events) {
    std::string ph = e["ph"];
    if (ph == "M")
      continue;
    std::pair<int, int> track{e["pid"].get<int>(), e.value("tid", 0)};
    auto ts = e["ts"].get<double>();
    CHECK(ts >= last[track]);
    last[track] = ts;
    if (ph == "X")
      CHECK(e["dur"].get<double>() >= 0.0);
    open[track] += ph == "B" ? 1 : ph == "E" ? -1 : 0;
    CHECK(open[track] >= 0);
    if (ph == "s" || ph == "f")
      flows[e["id"].get<long long>()] += ph;
  }
  for (const auto& [track, depth] : open)
    CHECK(depth == 0);
  // one arrow per delivered message, each started once and finished once
  CHECK(flows.size() == count_events(dir, "deliver"));
  for (const auto& [id, phases] : flows)
    CHECK(phases == "sf");
}

TEST_CASE("every name in the trace is one docs/scenario-reference.md documents") {
  auto dir = traced_crash_run();
  auto events = json::parse(read_text(dir + "/trace.json"))["traceEvents"];
  std::set<std::string> names;
  for (const auto& e : events)
    if (e["ph"] != "M")
      names.insert(e["name"].get<std::string>().substr(0, e["name"].get<std::string>().find(':')));
  CHECK(names
        == std::set<std::string>{"computing", "waiting", "down", "up", "message", "crash",
                                 "restart", "discard", "join", "fault", "server_crash",
                                 "version", "loss", "staleness"});
  auto docs = read_text(PSIM_SOURCE_DIR "/docs/scenario-reference.md");
  auto section = docs.substr(docs.find("## Timelines in Perfetto"));
  for (const auto& name : names)
    CHECK_MESSAGE(section.find("`" + name) != std::string::npos, name);
}

TEST_CASE("the trace shows worker-2 down from its crash to its restart, and the server's crash") {
  auto dir = traced_crash_run();
  auto events = json::parse(read_text(dir + "/trace.json"))["traceEvents"];
  auto down = on_track(events, "worker-2", "X", "down");
  REQUIRE(down.size() == 1);
  CHECK(down[0]["ts"].get<double>() == 1e6);
  CHECK(down[0]["dur"].get<double>() == 1e6);
  CHECK(on_track(events, "worker-2", "i", "crash").at(0)["ts"].get<double>() == 1e6);
  CHECK(on_track(events, "worker-2", "i", "restart").at(0)["ts"].get<double>() == 2e6);
  CHECK(on_track(events, "server-0", "X", "down").at(0)["ts"].get<double>() == 3e6);
  CHECK(on_track(events, "server-0", "i", "restart").at(0)["args"]["version"] == 100);
  // the faults of summary.json: a slice each on the faults track, an instant where each began
  auto crash = on_track(events, "faults", "X", "crash");
  REQUIRE(crash.size() == 1);
  CHECK(crash[0]["dur"].get<double>() == 1e6);
  std::vector<std::pair<std::string, double>> instants;
  for (const auto& e : events)
    if (e["ph"] == "i" && e["s"] == "g")
      instants.emplace_back(e["name"], e["ts"]);
  CHECK(instants == std::vector<std::pair<std::string, double>>{
                      {"fault: crash worker-2", 1e6}, {"fault: server_crash server-0", 3e6}});
  // every computation a worker began is one computing slice
  std::size_t computing = 0;
  for (const auto& e : events)
    computing += e["ph"] == "X" && e["name"] == "computing";
  CHECK(computing == count_events(dir, "compute_start"));
}

TEST_CASE("the version counter follows metrics.csv, step back at the server's restart included") {
  auto dir = traced_crash_run();
  auto events = json::parse(read_text(dir + "/trace.json"))["traceEvents"];
  std::vector<std::pair<double, double>> counter, metrics;
  for (const auto& e : events)
    if (e["ph"] == "C" && e["name"] == "version")
      counter.emplace_back(e["ts"].get<double>() / 1e6, e["args"]["version"].get<double>());
  for (auto& row : read_metrics(dir))
    metrics.emplace_back(std::stod(row["time"]), std::stod(row["version"]));
  REQUIRE(counter.size() == metrics.size());
  for (std::size_t i = 0; i < counter.size(); ++i) {
    CHECK(counter[i].first == doctest::Approx(metrics[i].first).epsilon(1e-12));
    CHECK(counter[i].second == metrics[i].second);
  }
}

TEST_CASE("psim trace refuses a run without events.csv and says how to get one") {
  auto run = run_tiny(temp_folder("trace"));
  auto r = run_psim("trace '" + run + "'");
  CHECK(r.code == 2);
  CHECK(r.err == "psim: error: " + run + ": no events.csv; run the scenario with --set "
                 "trace.events=true\n");
  auto missing = run_psim("trace /nonexistent/run");
  CHECK(missing.code == 2);
  CHECK(missing.err == "psim: error: /nonexistent/run: no such folder\n");
}

} // TEST_SUITE
