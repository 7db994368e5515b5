// The parameter server: shared mechanics of every mode — deduplication, the time an
// update takes (server_apply_time), versions, metrics points and replies. The rules
// of each mode are in server_modes.cpp.
#include "actors/server/parameter_server.hpp"

#include "actors/runtime/clock.hpp"
#include "actors/link/network_link.hpp"
#include "actors/runtime/scenario_cache.hpp"
#include "sim/model/model.hpp"
#include "sim/random/random.hpp"

namespace psim::actors {

namespace {

using sim::mode_kind;

std::vector<double> copy_of(const sim::vector& x) {
  return std::vector<double>(x.data(), x.data() + x.size());
}

void send_point(server_actor* self) {
  auto& st = self->state;
  metrics_point point{st.shard, st.version,      st.applied_at,         st.report.applied,
                      st.staleness_sum, st.staleness_count, copy_of(st.theta)};
  st.staleness_sum = 0;
  st.staleness_count = 0;
  st.last_point = st.version;
  self->send(st.recorder, std::move(point));
}

// Sends `msg` on `link` once the update under way is applied.
void send_after_update(server_actor* self, const caf::actor& link, const caf::message& msg) {
  auto now = self->clock().now();
  if (self->state.busy_until > now)
    self->delayed_send(link, self->state.busy_until - now, msg);
  else
    self->send(link, msg);
}

// A push the server has seen already (a duplicate or a resend): answer it if the
// worker may be waiting for parameters whose message was lost.
void on_repeat(server_actor* self, const gradient_msg& g) {
  auto& st = self->state;
  ++st.report.duplicates;
  auto mode = st.scenario->training.mode;
  bool answered_by_round = mode == mode_kind::sync || mode == mode_kind::ksync
                           || mode == mode_kind::local_sgd;
  if (st.halted || (answered_by_round && g.version == st.version && g.epoch == st.epoch))
    return; // its round is still open: the broadcast will answer it
  if (mode == mode_kind::ssp && st.waiting[g.worker])
    return; // held back by the staleness bound
  if (mode == mode_kind::kasync)
    for (const auto& m : st.members)
      if (m.worker == g.worker)
        return;
  reply(self, g.worker);
}

void on_gradient(server_actor* self, const gradient_msg& g) {
  auto& st = self->state;
  auto now = self->clock().now();
  if (st.down)
    return; // lost with the crashed server
  if (st.busy_until > now) {
    // Still applying an update: take this gradient up when it is done.
    st.deferred.emplace(g.worker, g.incarnation, g.seq);
    auto msg = self->current_mailbox_element()->move_content_to_message();
    self->delayed_send(self, st.busy_until - now, std::move(msg));
    return;
  }
  if (auto it = st.deferred.find({g.worker, g.incarnation, g.seq}); it != st.deferred.end())
    st.deferred.erase(it);
  if (!st.seen.at(g.worker)[g.incarnation].first_time(g.seq))
    return on_repeat(self, g);
  ++st.report.received;
  st.report.received_gradients += g.gradients;
  st.trace.emit(self, event_kind::deliver, worker_name(g.worker), static_cast<std::int64_t>(g.version));
  if (st.halted) {
    st.report.pending += g.gradients;
    return;
  }
  if (g.epoch != st.epoch) {
    // Computed on parameters from before the server's crash.
    st.report.discarded_stale += g.gradients;
    st.trace.emit(self, event_kind::discard, worker_name(g.worker), static_cast<std::int64_t>(g.version));
    return;
  }
  switch (st.scenario->training.mode) {
    case mode_kind::async:
    case mode_kind::ssp:
      return on_async_gradient(self, g);
    case mode_kind::kasync:
      return on_kasync_gradient(self, g);
    default:
      return on_round_gradient(self, g);
  }
}

void arm_watchdog(server_actor* self) {
  if (auto stall = self->state.scenario->run.stall_timeout)
    self->delayed_send(self, to_timespan(*stall), watchdog_atom::value, self->state.applies);
}

// Who waits for what, for a stalled run's message.
std::string stall_detail(const parameter_server_state& st) {
  std::string down, missing;
  for (std::size_t w = 0; w < st.live.size(); ++w) {
    if (!st.live[w])
      down += (down.empty() ? "" : ", ") + worker_name(w);
    else if (!st.round_has[w])
      missing += (missing.empty() ? "" : ", ") + worker_name(w);
  }
  auto text = server_name(st.shard) + " applied no update for run.stall_timeout at version "
              + std::to_string(st.version) + " (" + sim::to_string(st.scenario->training.mode)
              + ")";
  if (st.down)
    return text + "; it is down after a crash and does not restart";
  text += "; it holds " + std::to_string(st.members.size()) + " gradient(s) of this round";
  if (!missing.empty())
    text += " and waits for " + missing;
  if (!down.empty())
    text += "; down: " + down + " (training.on_failure = \"" + st.scenario->training.on_failure
            + "\")";
  return text;
}

// A worker's actor ended: it counts as down until a restarted one joins.
void on_worker_down(server_actor* self, const caf::down_msg& msg) {
  auto& st = self->state;
  for (std::size_t w = 0; w < st.workers.size(); ++w)
    if (st.workers[w] == msg.source && st.live[w]) {
      st.live[w] = false;
      st.trace.emit(self, event_kind::down, worker_name(w));
      if (!st.down && !st.halted)
        recheck_quorum(self);
    }
}

void on_join(server_actor* self, const join_msg& j) {
  auto& st = self->state;
  st.live.at(j.worker) = true;
  st.workers[j.worker] = j.handle.address();
  self->monitor(j.handle);
  st.trace.emit(self, event_kind::join, worker_name(j.worker));
  if (!st.down && !st.halted)
    reply(self, j.worker);
}

// server_down: state lost when it begins; back from the last checkpoint when it ends.
void on_effect(server_actor* self, const effect_msg& e) {
  auto& st = self->state;
  if (e.effect.kind != sim::effect_kind::server_down)
    return;
  if (e.begin) {
    st.down = true;
    st.report.lost += st.report.pending;
    st.report.pending = 0;
    st.members.clear();
    st.round_sum.setZero();
    st.round_weight = 0;
    std::fill(st.round_has.begin(), st.round_has.end(), false);
    st.trace.emit(self, event_kind::crash, {}, static_cast<std::int64_t>(st.version));
    return;
  }
  st.down = false;
  ++st.epoch;
  st.report.rolled_back += st.version - st.checkpoint_version;
  st.version = st.checkpoint_version;
  st.theta = st.checkpoint;
  st.velocity.setZero();
  std::fill(st.clocks.begin(), st.clocks.end(), 0);
  std::fill(st.waiting.begin(), st.waiting.end(), false);
  st.halted = false;
  st.trace.emit(self, event_kind::restart, {}, static_cast<std::int64_t>(st.version));
  st.applied_at = seconds_between(st.start, self->clock().now());
  send_point(self); // the trace shows the version going back
  arm_watchdog(self);
  broadcast(self);
}
} // namespace

void apply_update(server_actor* self, const Eigen::Ref<const sim::vector>& direction,
                  double rate) {
  auto& st = self->state;
  auto momentum = st.scenario->training.momentum;
  if (momentum > 0) {
    st.velocity = momentum * st.velocity + direction;
    st.theta -= rate * st.velocity;
  } else {
    st.theta -= rate * direction;
  }
  ++st.version;
  ++st.applies;
  auto every = st.scenario->checkpoint.every;
  if (every > 0 && st.version % every == 0) {
    st.checkpoint = st.theta;
    st.checkpoint_version = st.version;
  }
  arm_watchdog(self);
  auto apply_time = st.scenario->cluster.server_apply_time;
  auto now = self->clock().now();
  if (apply_time > 0)
    st.busy_until = now + to_timespan(apply_time);
  st.applied_at = seconds_between(st.start, std::max(now, st.busy_until));
  const auto& run = st.scenario->run;
  if (run.stop.updates && st.version >= *run.stop.updates)
    st.halted = true;
  if (st.version % run.eval_every == 0 || st.halted)
    send_point(self);
}

void record_applied(server_actor* self, std::uint32_t worker, std::uint64_t tau,
                    std::uint32_t gradients) {
  auto& st = self->state;
  auto& hist = st.report.staleness_histogram;
  if (hist.size() <= tau)
    hist.resize(tau + 1, 0);
  hist[tau] += gradients;
  st.report.applied += gradients;
  st.staleness_sum += static_cast<double>(tau) * gradients;
  st.staleness_count += gradients;
  st.trace.emit(self, event_kind::apply, worker_name(worker), static_cast<std::int64_t>(st.version + 1),
                static_cast<std::int64_t>(tau));
}

void reply(server_actor* self, std::uint32_t worker) {
  auto& st = self->state;
  if (!st.live[worker])
    return;
  st.trace.emit(self, event_kind::send, worker_name(worker), static_cast<std::int64_t>(st.version), -1,
                message_bytes(static_cast<std::size_t>(st.theta.size())));
  send_after_update(self, st.downlinks.at(worker),
                    caf::make_message(params_msg{st.shard, st.version, st.epoch, copy_of(st.theta)}));
}

void broadcast(server_actor* self) {
  auto& st = self->state;
  // One message, shared by every link: the parameters are copied once.
  auto msg = caf::make_message(params_msg{st.shard, st.version, st.epoch, copy_of(st.theta)});
  for (std::uint32_t w = 0; w < st.downlinks.size(); ++w) {
    if (!st.live[w])
      continue;
    st.trace.emit(self, event_kind::send, worker_name(w), static_cast<std::int64_t>(st.version), -1,
                  message_bytes(static_cast<std::size_t>(st.theta.size())));
    send_after_update(self, st.downlinks[w], msg);
  }
}

caf::behavior parameter_server(server_actor* self, actor_config config) {
  auto& st = self->state;
  st.scenario = shared_scenario(config.scenario);
  const auto& scn = *st.scenario;
  auto data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  auto model = sim::make_model(scn.model, data->train.features());
  sim::random_stream init{scn.seed, "init"};
  // Shard s holds the s-th of S contiguous, balanced key ranges.
  auto all = model->initial_parameters(init);
  auto params = all.size();
  auto shards = static_cast<Eigen::Index>(scn.cluster.servers);
  auto index = static_cast<Eigen::Index>(config.id);
  st.shard = config.id;
  st.theta = all.segment(index * params / shards,
                         (index + 1) * params / shards - index * params / shards);
  st.report.shard = config.id;
  st.velocity = sim::vector::Zero(st.theta.size());
  st.round_sum = sim::vector::Zero(st.theta.size());
  auto workers = scn.cluster.workers;
  st.round_has.assign(workers, false);
  st.seen.resize(workers);
  st.live.assign(workers, true);
  st.workers.resize(workers);
  st.checkpoint = st.theta;
  st.clocks.assign(workers, 0);
  st.waiting.assign(workers, false);
  st.trace.actor = server_name(config.id);
  st.trace.enabled = scn.trace.events;
  self->set_down_handler([=](caf::down_msg& msg) { on_worker_down(self, msg); });
  return {
    [=](wiring& w) {
      auto& s = self->state;
      s.downlinks = std::move(w.peers);
      for (std::size_t i = 0; i < w.watch.size() && i < s.workers.size(); ++i) {
        s.workers[i] = w.watch[i].address();
        self->monitor(w.watch[i]);
      }
    },
    [=](start_atom, const caf::actor& recorder) {
      auto& s = self->state;
      s.recorder = recorder;
      s.trace.recorder = recorder;
      s.start = self->clock().now();
      send_point(self);
      arm_watchdog(self);
      broadcast(self);
    },
    [=](const join_msg& j) {
      if (!self->state.stopped)
        on_join(self, j);
    },
    [=](const effect_msg& e) {
      if (!self->state.stopped)
        on_effect(self, e);
    },
    [=](watchdog_atom, std::uint64_t applies) {
      auto& s = self->state;
      if (!s.stopped && !s.halted && s.applies == applies)
        self->send(s.recorder, stalled_atom::value, stall_detail(s));
    },
    [=](const gradient_msg& g) {
      if (!self->state.stopped)
        on_gradient(self, g);
    },
    [=](stop_atom, const caf::actor& recorder) {
      auto& s = self->state;
      s.stopped = true;
      if (s.last_point != s.version)
        send_point(self);
      s.report.version = s.version;
      s.report.applied_at = s.applied_at;
      s.report.time = seconds_between(s.start, self->clock().now());
      s.report.params = copy_of(s.theta);
      for (std::size_t w = 0; w < s.seen.size(); ++w)
        for (const auto& [incarnation, filter] : s.seen[w]) {
          s.report.seen.insert(s.report.seen.end(), {w, incarnation, filter.highest()});
          for (auto gap : filter.gaps())
            s.report.seen.push_back(gap);
          s.report.seen.push_back(0);
        }
      for (const auto& [w, incarnation, seq] : s.deferred)
        s.report.deferred.insert(s.report.deferred.end(), {w, incarnation, seq});
      self->send(recorder, s.report);
    },
  };
}

} // namespace psim::actors
