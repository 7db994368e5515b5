// The summary from the reports: a server crash's rolled-back versions are credited to
// exactly the shards it names ("server-10" is not shard 1), from the reports value and
// in a whole run with eleven shards; an unreceived push is lost only if it was dropped.
#include "actors/recorder/summary_builder.hpp"
#include "tests/support/scenario_run.hpp"

#include <doctest/doctest.h>

using namespace psim;
using namespace psim::actors;

namespace {

const std::string eleven_shards = R"(
seed = 7
[run]
stop = { time = 0.4 }
[data]
samples = 200
features = 12
[training]
mode = "async"
learning_rate = 0.01
batch_size = 8
[cluster]
workers = 3
servers = 11
[compute]
time = "10ms"
[network]
latency = "1ms"
[checkpoint]
every = 5
[[faults]]
at = "45ms"
kind = "server_crash"
target = "server-10"
[[faults]]
at = "85ms"
kind = "server_crash"
target = "server-1"
)";

const std::string one_worker = R"(
[data]
samples = 20
features = 2
[training]
mode = "async"
[cluster]
workers = 1
)";

// The gradient counters of one worker that computed and pushed 4 gradients, of which
// server-0 received seq 1 and applied it; `link` and `server` say what became of 2..4.
sim::gradient_counts counts_of(const link_report& link, const server_report& server) {
  auto scn = sim::parse_scenario(one_worker, "one.toml");
  auto data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  run_reports reports;
  worker_report w;
  w.computed = w.pushed = w.pushes = 4;
  reports.workers.push_back(w);
  auto sv = server;
  sv.applied = sv.received = 1;
  sv.seen = {0, 0, 1, 0};
  reports.servers.push_back(sv);
  auto l = link;
  l.name = "worker-0->server-0";
  reports.links.add(l);
  reports.injector = injector_report{};
  return build_summary(summary_context{scn, *data, sim::stop_reason::updates, 0, {}}, reports)
    .gradients;
}

} // namespace

TEST_SUITE("actors.summary_builder") {

TEST_CASE("an unreceived push is lost only if a link dropped it and no copy is on the way") {
  link_report link;
  link.dropped_pushes = {0, 0, 2, 0, 0, 3}; // seq 3 was dropped, and its resend is on the wire
  link.in_transit = {0, 0, 3};       // seq 4: in a mailbox at the stop
  auto g = counts_of(link, server_report{});
  CHECK(g.computed == 4);
  CHECK(g.applied == 1);
  CHECK(g.lost == 1);
  CHECK(g.in_flight == 2);
}

TEST_CASE("a push that reached a crashed shard is lost; without any drop nothing is") {
  server_report crashed;
  crashed.dropped_pushes = {0, 0, 4};
  auto g = counts_of(link_report{}, crashed);
  CHECK(g.lost == 1);
  CHECK(g.in_flight == 2);
  auto clean = counts_of(link_report{}, server_report{});
  CHECK(clean.lost == 0);
  CHECK(clean.in_flight == 3);
}

TEST_CASE("one shard's staleness histogram becomes the run's, moved out of its report") {
  auto scn = sim::parse_scenario(one_worker, "one.toml");
  auto data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  run_reports reports;
  server_report sv;
  sv.staleness_histogram = {3, 0, 9};
  reports.servers.push_back(sv);
  auto data_before = reports.servers[0].staleness_histogram.data();
  auto s = build_summary(summary_context{scn, *data, sim::stop_reason::updates, 0, {}},
                         std::move(reports));
  CHECK(s.staleness_histogram == std::vector<std::uint64_t>{3, 0, 9});
  CHECK(s.staleness_histogram.data() == data_before); // the same buffer: not copied
  REQUIRE(s.shards.size() == 1);
  CHECK(s.shards[0].staleness_histogram.empty()); // written only with several shards
}

TEST_CASE("a fault target names a shard exactly") {
  CHECK(names_shard("server-1", 1));
  CHECK(!names_shard("server-10", 1));
  CHECK(names_shard("server-10", 10));
  CHECK(names_shard("server-3, server-10", 10));
  CHECK(!names_shard("server-3, server-10", 1));
  CHECK(!names_shard("worker-1", 1));
}

TEST_CASE("each server crash is credited with its own shard's rolled-back versions") {
  auto scn = sim::parse_scenario(eleven_shards, "summary.toml");
  auto data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  run_reports reports;
  for (std::uint32_t s = 0; s < 11; ++s) {
    server_report r;
    r.shard = s;
    r.rolled_back = s == 1 ? 4 : s == 10 ? 7 : 0;
    reports.servers.push_back(r);
  }
  reports.injector = injector_report{0, {fault_record{0.045, "server_crash", "server-10", 0.05},
                                         fault_record{0.085, "server_crash", "server-1", -1}}};
  reports.servers[0].staleness_histogram = {5, 1};
  reports.servers[7].staleness_histogram = {0, 0, 2};
  auto s = build_summary(summary_context{scn, *data, sim::stop_reason::time, 1.5, {}}, reports);
  // Several shards: each shard line has its histogram, the run has shard 0's.
  CHECK(s.staleness_histogram == std::vector<std::uint64_t>{5, 1});
  CHECK(s.shards[0].staleness_histogram == std::vector<std::uint64_t>{5, 1});
  CHECK(s.shards[7].staleness_histogram == std::vector<std::uint64_t>{0, 0, 2});
  REQUIRE(s.faults.size() == 2);
  CHECK(s.faults[0].rolled_back == std::optional<std::uint64_t>{7});
  CHECK(s.faults[1].rolled_back == std::optional<std::uint64_t>{4});
  CHECK(s.faults[0].until == 0.05);
  CHECK(!s.faults[1].until);
  CHECK(s.stopped_by == sim::stop_reason::time);
  CHECK(s.wall_s == 1.5);
}

TEST_CASE("in a run with eleven shards each crash reports its own shard's rollback") {
  auto s = test::read_summary(test::run_text(eleven_shards));
  REQUIRE(s["faults"].size() == 2);
  REQUIRE(s["shards"].size() == 11);
  CHECK(s["faults"][0]["target"] == "server-10");
  CHECK(s["faults"][1]["target"] == "server-1");
  auto own = [&](int shard) { return s["shards"][shard]["rolled_back"].get<std::uint64_t>(); };
  CHECK(own(1) > 0); // "server-10" taken for shard 1 would then be credited too much
  CHECK(s["faults"][0]["rolled_back"].get<std::uint64_t>() == own(10));
  CHECK(s["faults"][1]["rolled_back"].get<std::uint64_t>() == own(1));
}

}
