// The summary from the reports: gradient counters per server shard, where every push
// is either received by the shard, on the wire at the stop (a copy on a link or
// deferred by a busy server) or lost; message and worker counters; the faults.
#include "actors/recorder/summary_builder.hpp"

#include <algorithm>
#include <map>
#include <set>
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

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size()
         && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The gradient counters as seen by server shard `sv`.
sim::gradient_counts count_shard(const recorder_state& st, const server_report& sv) {
  const auto& tr = st.scenario->training;
  std::uint64_t per_push = tr.mode == sim::mode_kind::local_sgd ? tr.local_steps : 1;
  std::set<push_key> on_wire;
  for (std::size_t i = 0; i + 2 < sv.deferred.size(); i += 3)
    on_wire.emplace(sv.deferred[i], sv.deferred[i + 1], sv.deferred[i + 2]);
  auto suffix = "->server-" + std::to_string(sv.shard);
  for (const auto& l : st.links)
    if (ends_with(l.name, suffix))
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

void count_messages_and_workers(const recorder_state& st, sim::run_summary& s) {
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
    s.version_skew_max = std::max(s.version_skew_max, w.skew_max);
  }
  if (computed > 0)
    s.version_skew_mean = static_cast<double>(skew_sum) / static_cast<double>(computed);
  auto shards = sim::shard_statistics(*st.data);
  for (auto& [id, summary] : workers) {
    if (id < shards.size()) {
      summary.rows = shards[id].rows;
      summary.labels = shards[id].label_counts;
    }
    s.workers.push_back(std::move(summary));
  }
}

} // namespace

sim::run_summary build_summary(const recorder_state& st) {
  const auto& scn = *st.scenario;
  sim::run_summary s;
  s.name = scn.name;
  s.seed = scn.seed;
  s.mode = sim::to_string(scn.training.mode);
  s.clock = scn.run.clock == sim::clock_kind::virtual_time ? "virtual" : "real";
  s.deterministic = scn.run.clock == sim::clock_kind::virtual_time;
  s.stopped_by = st.control->stopped_by();
  auto elapsed = std::chrono::steady_clock::now() - st.control->wall_start;
  s.wall_s = std::chrono::duration<double>(elapsed).count();
  if (st.last_row) {
    s.train_loss = st.last_row->train_loss;
    s.test_loss = st.last_row->test_loss;
    s.test_accuracy = st.last_row->test_accuracy;
  }
  auto servers = st.servers;
  std::sort(servers.begin(), servers.end(),
            [](const auto& x, const auto& y) { return x.shard < y.shard; });
  for (const auto& sv : servers) {
    auto counts = count_shard(st, sv);
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
  count_messages_and_workers(st, s);
  if (st.injector)
    for (const auto& f : st.injector->faults) {
      sim::fault_summary entry{f.at, f.kind, f.target, {}, {}};
      if (f.until >= 0)
        entry.until = f.until;
      if (f.kind == "server_crash")
        for (const auto& sv : servers)
          if (f.target.find("server-" + std::to_string(sv.shard)) != std::string::npos)
            entry.rolled_back = entry.rolled_back.value_or(0) + sv.rolled_back;
      s.faults.push_back(entry);
    }
  return s;
}

} // namespace psim::actors
