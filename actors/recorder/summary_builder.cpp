// The summary from the reports: gradient counters per server shard, where every push
// is either received by the shard, lost (dropped by a link or a crashed shard, with no
// copy on the way) or in flight at the stop (on a link, deferred, or in a mailbox);
// message and worker counters; the faults.
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

// Adds the (worker, incarnation, seq) triples listed in `flat` to `pushes`.
void add_pushes(const std::vector<std::uint64_t>& flat, std::set<push_key>& pushes) {
  for (std::size_t i = 0; i + 2 < flat.size(); i += 3)
    pushes.emplace(flat[i], flat[i + 1], flat[i + 2]);
}

// The gradient counters as seen by server shard `sv`.
sim::gradient_counts count_shard(const summary_context& context, const run_reports& st,
                                 const server_report& sv) {
  const auto& tr = context.scenario.training;
  std::uint64_t per_push = tr.mode == sim::mode_kind::local_sgd ? tr.local_steps : 1;
  std::set<push_key> on_wire, dropped;
  add_pushes(sv.deferred, on_wire);
  add_pushes(sv.dropped_pushes, dropped);
  if (auto it = st.links.in_transit.find(sv.shard); it != st.links.in_transit.end())
    add_pushes(it->second, on_wire);
  if (auto it = st.links.dropped_pushes.find(sv.shard); it != st.links.dropped_pushes.end())
    add_pushes(it->second, dropped);
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
    // Not received: lost only if the network (or the crashed shard) dropped it and no
    // copy is on the way; otherwise it was on a link or in a mailbox at the stop.
    auto unresolved = [&](std::uint64_t seq) {
      push_key key{w.id, w.incarnation, seq};
      if (on_wire.count(key) == 0 && dropped.count(key) > 0)
        g.lost += per_push;
      else
        g.in_flight += per_push;
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

void count_messages(const run_reports& st, sim::run_summary& s) {
  for (const auto& sv : st.servers) {
    s.messages.delivered += sv.received + sv.duplicates;
    s.messages.ignored += sv.duplicates;
  }
  s.messages.sent += st.links.sent;
  s.messages.dropped += st.links.dropped;
  s.messages.duplicated += st.links.duplicated;
  s.messages.bytes += st.links.bytes;
}

// One line per worker that reported, in worker order, its incarnations merged; kept in
// a vector by worker number (not a map): a few words per worker.
void count_workers(const summary_context& context, const run_reports& st,
                   sim::run_summary& s) {
  std::size_t n = 0;
  for (const auto& w : st.workers)
    n = std::max<std::size_t>(n, w.id + 1);
  std::vector<sim::worker_summary> workers(n);
  std::vector<std::uint64_t> computed_by(n, 0);
  std::vector<bool> reported(n, false);
  std::uint64_t skew_sum = 0, computed = 0;
  for (const auto& w : st.workers) {
    s.messages.delivered += w.received;
    s.messages.resent += w.resends;
    auto& summary = workers[w.id];
    reported[w.id] = true;
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
  s.workers.reserve(st.workers.size());
  for (std::uint32_t id = 0; id < n; ++id) {
    if (!reported[id])
      continue;
    auto& summary = workers[id];
    summary.never_computed = computed_by[id] == 0;
    if (id < shards.size()) {
      summary.rows = shards[id].rows;
      summary.labels = shards[id].label_counts;
    }
    s.workers.push_back(std::move(summary));
  }
}

/// The kind of the injector's records of availability departures.
constexpr std::string_view offline_kind = "offline";

// [availability]: each worker's share of the run online and its departures, from the
// injector's records of offline periods (one still open lasts to the stop).
void add_availability(const run_reports& st, sim::run_summary& s) {
  std::map<std::string, std::pair<double, std::uint64_t>> offline; // by worker name
  if (st.injector)
    for (const auto& f : st.injector->faults)
      if (f.kind == offline_kind) {
        auto& [time, count] = offline[f.target];
        time += (f.until >= 0 ? f.until : s.time_s) - f.at;
        ++count;
      }
  for (auto& w : s.workers) {
    auto [time, count] = offline[sim::to_string(sim::actor_id::worker(w.id))];
    w.online_share = s.time_s > 0 ? std::max(0.0, 1 - time / s.time_s) : 1.0;
    w.departures = count;
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
  lag.merge(st.links.lag.values());
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

void link_totals::add(const link_report& r) {
  ++reports;
  sent += r.sent;
  dropped += r.dropped;
  duplicated += r.duplicated;
  bytes += r.bytes;
  lag.merge(r.lag);
  if (r.in_transit.empty() && r.dropped_pushes.empty())
    return;
  // Only the links to a server shard carry gradients.
  auto link = sim::parse_link_id(r.name);
  if (link && link->to.is_server()) {
    auto& x = in_transit[link->to.index];
    x.insert(x.end(), r.in_transit.begin(), r.in_transit.end());
    auto& d = dropped_pushes[link->to.index];
    d.insert(d.end(), r.dropped_pushes.begin(), r.dropped_pushes.end());
  }
}

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

sim::run_summary build_summary(const summary_context& context, run_reports st) {
  auto s = summary_header(context);
  std::vector<server_report*> by_shard;
  for (auto& sv : st.servers)
    by_shard.push_back(&sv);
  std::sort(by_shard.begin(), by_shard.end(),
            [](const auto* x, const auto* y) { return x->shard < y->shard; });
  for (auto* sv : by_shard) {
    auto counts = count_shard(context, st, *sv);
    s.shards.push_back(sim::shard_summary{sv->shard, sv->version, counts, {}, sv->rolled_back});
    s.params.insert(s.params.end(), sv->params.begin(), sv->params.end());
    s.time_s = std::max(s.time_s, sv->time);
  }
  if (!by_shard.empty()) {
    // The run as a whole reads as shard 0; every shard's own counters are in `shards`.
    s.version = by_shard.front()->version;
    s.gradients = s.shards.front().gradients;
    // A histogram can hold millions of counts: moved, and copied only for several shards.
    if (by_shard.size() > 1)
      for (std::size_t i = 0; i < by_shard.size(); ++i)
        s.shards[i].staleness_histogram = by_shard[i]->staleness_histogram;
    s.staleness_histogram = std::move(by_shard.front()->staleness_histogram);
  }
  count_messages(st, s);
  count_workers(context, st, s);
  if (context.scenario.availability.any())
    add_availability(st, s);
  add_lag(context, st, s);
  if (st.injector)
    for (const auto& f : st.injector->faults) {
      if (f.kind == offline_kind)
        continue; // in the workers' online_share and departures
      sim::fault_summary entry{f.at, f.kind, f.target, {}, {}};
      if (f.until >= 0)
        entry.until = f.until;
      if (f.kind == sim::to_string(sim::fault_kind::server_crash))
        for (const auto* sv : by_shard)
          if (names_shard(f.target, sv->shard))
            entry.rolled_back = entry.rolled_back.value_or(0) + sv->rolled_back;
      s.faults.push_back(entry);
    }
  return s;
}

} // namespace psim::actors
