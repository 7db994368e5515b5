// The summary from the reports: gradient counters per server shard, where every push
// is either received by the shard, on the wire at the stop (a copy on a link or
// deferred by a busy server) or lost; message and worker counters; the faults.
#include "actors/recorder/summary_builder.hpp"

#include "sim/cluster/actor_id.hpp"
#include "sim/cluster/faults.hpp"

#include "sim/output/lag_histogram.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <string_view>
#include <tuple>

namespace psim::actors {

namespace {

using push_key = std::tuple<std::uint64_t, std::uint64_t, std::uint64_t>;

// Pushes of (worker, incarnation) a shard received: the highest seq and the gaps.
using received_map = std::map<std::pair<std::uint64_t, std::uint64_t>,
                              std::pair<std::uint64_t, std::set<std::uint64_t>>>;

received_map received_pushes(const server_report& server) {
  received_map result;
  const auto& x = server.seen;
  for (std::size_t i = 0; i + 2 < x.size();) {
    auto& entry = result[{x[i], x[i + 1]}];
    entry.first = x[i + 2];
    for (i += 3; i < x.size() && x[i] != 0; ++i)
      entry.second.insert(x[i]);
    ++i; // the 0 that ends the gaps
  }
  return result;
}

// True when the link `name` leads to server shard `shard`.
bool leads_to_shard(const std::string& name, std::uint32_t shard) {
  auto link = sim::parse_link_id(name);
  return link && link->to == sim::actor_id::server(shard);
}

// The gradient counters as seen by server shard `sv`.
sim::gradient_counts count_shard(const summary_context& context, const run_reports& st,
                                 const server_report& sv) {
  const auto& tr = context.scenario.training;
  std::uint64_t per_push = tr.mode == sim::mode_kind::local_sgd ? tr.local_steps : 1;
  std::set<push_key> on_wire;
  for (std::size_t i = 0; i + 2 < sv.deferred.size(); i += 3)
    on_wire.emplace(sv.deferred[i], sv.deferred[i + 1], sv.deferred[i + 2]);
  for (const auto& l : st.links)
    if (leads_to_shard(l.name, sv.shard))
      for (std::size_t i = 0; i + 2 < l.in_transit.size(); i += 3)
        on_wire.emplace(l.in_transit[i], l.in_transit[i + 1], l.in_transit[i + 2]);
  auto received = received_pushes(sv);
  sim::gradient_counts g;
  g.applied = sv.applied;
  g.discarded_stale = sv.discarded_stale;
  g.lost = sv.lost;
  g.in_flight = sv.pending;
  for (const auto& w : st.workers) {
    g.computed += w.computed;
    g.applied += w.applied;
    g.abandoned += w.abandoned;
    g.in_flight += w.computing;
    auto it = received.find({w.id, w.incarnation});
    auto unresolved = [&](std::uint64_t seq) {
      if (on_wire.count({w.id, w.incarnation, seq}) > 0)
        g.in_flight += per_push;
      else
        g.lost += per_push;
    };
    std::uint64_t highest = 0;
    if (it != received.end()) {
      highest = it->second.first;
      for (auto seq : it->second.second)
        unresolved(seq);
    }
    for (auto seq = highest + 1; seq <= w.pushes; ++seq)
      unresolved(seq);
  }
  return g;
}

void count_messages_and_workers(const summary_context& context, const run_reports& st,
                                sim::run_summary& s) {
  for (const auto& sv : st.servers) {
    s.messages.delivered += sv.received + sv.duplicates;
    s.messages.ignored += sv.duplicates;
  }
  for (const auto& l : st.links) {
    s.messages.sent += l.sent;
    s.messages.dropped += l.dropped;
    s.messages.duplicated += l.duplicated;
    s.messages.bytes += l.bytes;
  }
  std::map<std::uint32_t, sim::worker_summary> workers;
  std::map<std::uint32_t, std::uint64_t> computed_by;
  std::uint64_t skew_sum = 0, computed = 0;
  for (const auto& w : st.workers) {
    s.messages.delivered += w.received;
    s.messages.resent += w.resends;
    auto& summary = workers[w.id];
    summary.id = w.id;
    summary.gradients += w.pushed + w.applied;
    summary.crashes += w.crashes;
    summary.node = w.node;
    summary.params = w.replica;
    skew_sum += w.skew_sum;
    computed += w.computed;
    computed_by[w.id] += w.computed;
    s.version_skew_max = std::max(s.version_skew_max, w.skew_max);
  }
  if (computed > 0)
    s.version_skew_mean = static_cast<double>(skew_sum) / static_cast<double>(computed);
  auto shards = sim::shard_statistics(context.data);
  for (auto& [id, summary] : workers) {
    summary.never_computed = computed_by[id] == 0;
    if (id < shards.size()) {
      summary.rows = shards[id].rows;
      summary.labels = shards[id].label_counts;
    }
    s.workers.push_back(std::move(summary));
  }
}

// Real clock: every actor's lag histogram in one, and the smallest modelled duration
// (mean compute time, mean latency of any link) to judge it against.
void add_lag(const summary_context& context, const run_reports& st, sim::run_summary& s) {
  const auto& scn = context.scenario;
  if (scn.run.clock != sim::clock_kind::real_time)
    return;
  sim::lag_histogram lag;
  for (const auto& w : st.workers)
    lag.merge(w.lag);
  for (const auto& sv : st.servers)
    lag.merge(sv.lag);
  for (const auto& l : st.links)
    lag.merge(l.lag);
  s.lag = lag.values();
  std::vector<double> durations{scn.compute.time.mean(), scn.network.latency.mean()};
  for (const auto& o : scn.compute.overrides)
    if (o.time)
      durations.push_back(o.time->mean());
  for (const auto& o : scn.network.links)
    if (o.latency)
      durations.push_back(o.latency->mean());
  for (auto d : durations)
    if (d > 0 && std::isfinite(d) && (s.lag_reference_s == 0 || d < s.lag_reference_s))
      s.lag_reference_s = d;
}

} // namespace

bool names_shard(const std::string& targets, std::uint32_t shard) {
  std::string_view rest = targets;
  while (!rest.empty()) {
    auto comma = rest.find(", ");
    auto id = sim::parse_actor_id(rest.substr(0, comma));
    if (id && *id == sim::actor_id::server(shard))
      return true;
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 2);
  }
  return false;
}

sim::run_summary summary_header(const summary_context& context) {
  const auto& scn = context.scenario;
  sim::run_summary s;
  s.name = scn.name;
  s.seed = scn.seed;
  s.mode = sim::to_string(scn.training.mode);
  s.clock = scn.run.clock == sim::clock_kind::virtual_time ? "virtual" : "real";
  s.deterministic = scn.run.clock == sim::clock_kind::virtual_time;
  s.stopped_by = context.stopped_by;
  s.wall_s = context.wall_s;
  if (context.last) {
    s.train_loss = context.last->train_loss;
    s.test_loss = context.last->test_loss;
    s.test_accuracy = context.last->test_accuracy;
  }
  return s;
}

sim::run_summary build_summary(const summary_context& context, const run_reports& st) {
  auto s = summary_header(context);
  auto servers = st.servers;
  std::sort(servers.begin(), servers.end(),
            [](const auto& x, const auto& y) { return x.shard < y.shard; });
  for (const auto& sv : servers) {
    auto counts = count_shard(context, st, sv);
    s.shards.push_back(sim::shard_summary{sv.shard, sv.version, counts,
                                          sv.staleness_histogram, sv.rolled_back});
    s.params.insert(s.params.end(), sv.params.begin(), sv.params.end());
    s.time_s = std::max(s.time_s, sv.time);
  }
  if (!servers.empty()) {
    // The run as a whole reads as shard 0; every shard's own counters are in `shards`.
    s.version = servers.front().version;
    s.gradients = s.shards.front().gradients;
    s.staleness_histogram = servers.front().staleness_histogram;
  }
  count_messages_and_workers(context, st, s);
  add_lag(context, st, s);
  if (st.injector)
    for (const auto& f : st.injector->faults) {
      sim::fault_summary entry{f.at, f.kind, f.target, {}, {}};
      if (f.until >= 0)
        entry.until = f.until;
      if (f.kind == sim::to_string(sim::fault_kind::server_crash))
        for (const auto& sv : servers)
          if (names_shard(f.target, sv.shard))
            entry.rolled_back = entry.rolled_back.value_or(0) + sv.rolled_back;
      s.faults.push_back(entry);
    }
  return s;
}

} // namespace psim::actors
