// The parameter server's handlers: deduplication of pushes, the time an update takes
// (server_apply_time), worker losses and joins, crashes, the watchdog and the stop.
// What each event means for training is its mode's rule (sim/training/consistency);
// decisions.cpp carries the rule's decisions out.
#include "actors/server/parameter_server.hpp"

#include "actors/link/network_link.hpp"
#include "actors/no_reply.hpp"
#include "actors/runtime/clock.hpp"
#include "actors/runtime/hop_stamp.hpp"
#include "actors/runtime/send_later.hpp"
#include "actors/runtime/failure_watch.hpp"
#include "actors/runtime/scenario_cache.hpp"
#include "sim/scenario/stall_watchdog.hpp"
#include "sim/training/buffers.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace psim::actors {

namespace {

std::vector<double> copy_of(const Eigen::Ref<const sim::vector>& x) {
  return std::vector<double>(x.data(), x.data() + x.size());
}

// The push `g` as the rule sees it: computed on the version the server served under
// the label `g.version` (itself unless staleness is injected).
sim::gradient_arrival arrival_of(const parameter_server_state& st, const gradient_msg& g) {
  return {g.worker, st.history->served(g.worker, g.version), g.samples, g.gradients,
          g.epoch == st.epoch};
}

// A push the server has seen already (a duplicate or a resend): the mode's rule says
// whether to answer it, since the worker may wait for parameters whose message was lost.
void on_repeat(server_actor* self, const gradient_msg& g) {
  auto& st = self->state;
  ++st.report.duplicates;
  if (st.halted)
    return;
  carry_out(self, st.rule->on_repeat(arrival_of(st, g), st.version), &g);
}

// `at`: the model time the gradient was meant to be handled at (its stamp, or its
// hop_stamp's).
void on_gradient(server_actor* self, const gradient_msg& g, std::int64_t at) {
  auto& st = self->state;
  auto real_now = self->clock().now();
  st.timing.enter_stamped(self, real_now, at);
  if (st.down) {
    // Lost with the crashed server (for the summary: lost, not in flight).
    st.report.dropped_pushes.insert(st.report.dropped_pushes.end(),
                                    {g.worker, g.incarnation, g.seq});
    return;
  }
  if (st.busy_until > st.timing.now) {
    // Still applying an update: take this gradient up when it is done.
    st.deferred.emplace(g.worker, g.incarnation, g.seq);
    auto msg = self->current_mailbox_element()->move_content_to_message();
    if (st.timing.deadlines)
      stamp_hop<gradient_msg>(msg, stamp_of(st.busy_until));
    send_later(self, self, wait_until(st.busy_until, real_now), std::move(msg));
    return;
  }
  if (auto it = st.deferred.find({g.worker, g.incarnation, g.seq}); it != st.deferred.end())
    st.deferred.erase(it);
  if (!st.seen.at(g.worker)[g.incarnation].first_time(g.seq))
    return on_repeat(self, g);
  ++st.report.received;
  st.report.received_gradients += g.gradients;
  st.trace.emit_to(self, event_kind::deliver, sim::actor_id::worker(g.worker),
                static_cast<std::int64_t>(g.version));
  if (st.halted) {
    st.report.pending += g.gradients;
    return;
  }
  if (g.epoch != st.epoch) {
    // Computed on parameters from before the server's crash.
    st.report.discarded_stale += g.gradients;
    st.trace.emit_to(self, event_kind::discard, sim::actor_id::worker(g.worker),
                  static_cast<std::int64_t>(g.version));
    return;
  }
  carry_out(self, st.rule->on_gradient(arrival_of(st, g), st.version), &g);
}

// Who waits for what, for a stalled run's message.
std::string stall_detail(const parameter_server_state& st) {
  std::string down, missing;
  for (std::uint32_t w = 0; w < st.settings.workers; ++w) {
    if (!st.rule->live(w))
      down += (down.empty() ? "" : ", ") + worker_name(w);
    else if (!st.rule->in_round(w))
      missing += (missing.empty() ? "" : ", ") + worker_name(w);
  }
  const auto& tr = st.settings.training;
  auto waited = st.settings.default_watchdog
                  ? fmt::format("{} s (the default watchdog; set run.stall_timeout to change it)",
                                *st.settings.run.stall_timeout)
                  : std::string{"run.stall_timeout"};
  auto text = server_name(st.shard) + " applied no update for " + waited + " at version "
              + std::to_string(st.version) + " (" + sim::to_string(tr.mode) + ")";
  if (st.down)
    return text + "; it is down after a crash and does not restart";
  text += "; it holds " + std::to_string(st.rule->round_size()) + " gradient(s) of this round";
  if (!missing.empty())
    text += " and waits for " + missing;
  if (!down.empty())
    text += "; down: " + down + " (training.on_failure = \"" + sim::to_string(tr.on_failure)
            + "\")";
  return text;
}

// The watchdog's message, sent at `applies` updates: the run stalled when none came
// since; else the watchdog waits again until a stall_timeout after the last progress.
void on_watchdog(server_actor* self, std::uint64_t applies) {
  auto& st = self->state;
  st.watchdog_armed = false;
  if (st.stopped || st.halted)
    return;
  if (st.applies == applies) {
    self->send(st.recorder, stalled_atom::value, stall_detail(st));
    return;
  }
  st.watchdog_armed = true;
  auto due = st.progress_at + to_timespan(*st.settings.run.stall_timeout);
  send_later(self, self, wait_until(due, self->clock().now()), watchdog_atom::value,
             st.applies);
}

// A worker's actor ended: it counts as down until a restarted one joins.
// Found by address, not by a search through the workers.
void on_worker_down(server_actor* self, const caf::down_msg& msg) {
  auto& st = self->state;
  st.timing.enter(self->clock().now(), 0);
  auto it = st.worker_of.find(msg.source);
  if (it == st.worker_of.end())
    return;
  auto w = it->second;
  if (st.workers[w] != msg.source || !st.rule->live(w))
    return;
  auto todo = st.rule->on_worker_lost(w, st.version);
  st.trace.emit_to(self, event_kind::down, sim::actor_id::worker(w));
  if (!st.down && !st.halted)
    carry_out(self, todo, nullptr);
}

// Worker `w` is now played by `handle`, which the server monitors.
void watch_worker(server_actor* self, std::uint32_t w, const caf::actor& handle) {
  auto& st = self->state;
  if (st.workers[w])
    st.worker_of.erase(st.workers[w]);
  st.workers[w] = handle.address();
  st.worker_of[handle.address()] = w;
  self->monitor(handle);
}

// A worker that has its place already and repeats its join got no parameters: it
// gets the current ones (a resend of the parameters whose message was lost).
void on_pull(server_actor* self, std::uint32_t worker) {
  auto& st = self->state;
  if (!st.down && !st.halted && st.rule->live(worker))
    carry_out(self, {sim::reply_to{worker}}, nullptr);
}

void on_join(server_actor* self, const join_msg& j) {
  auto& st = self->state;
  st.timing.enter(self->clock().now(), 0);
  if (j.worker < st.workers.size() && st.workers[j.worker] == j.handle.address())
    return on_pull(self, j.worker);
  auto todo = st.rule->on_worker_joined(j.worker);
  watch_worker(self, j.worker, j.handle);
  st.trace.emit_to(self, event_kind::join, sim::actor_id::worker(j.worker));
  if (!st.down && !st.halted)
    carry_out(self, todo, nullptr);
}

// server_down: state lost when it begins; back from the last checkpoint when it ends.
void on_effect(server_actor* self, const effect_msg& e) {
  auto& st = self->state;
  st.timing.enter(self->clock().now(), 0);
  if (e.effect.kind != sim::effect_kind::server_down)
    return;
  if (e.begin) {
    st.down = true;
    st.report.lost += st.report.pending;
    st.report.pending = 0;
    st.rule->on_server_crash();
    st.round_sum.setZero();
    st.round_weight = 0;
    st.round_count = 0;
    st.trace.emit(self, event_kind::crash, {}, static_cast<std::int64_t>(st.version));
    return;
  }
  st.down = false;
  ++st.epoch;
  st.report.rolled_back += st.version - st.checkpoint_version;
  st.version = st.checkpoint_version;
  st.theta.assign(st.checkpoint);
  st.optimizer = st.checkpoint_optimizer->clone();
  st.history->restart(st.version, st.theta.values());
  auto todo = st.rule->on_server_restart();
  st.halted = false;
  st.trace.emit(self, event_kind::restart, {}, static_cast<std::int64_t>(st.version));
  st.applied_at = seconds_between(st.start, self->clock().now());
  if (st.progress != nullptr)
    st.progress->note_version(st.version);
  send_point(self); // the trace shows the version going back
  arm_watchdog(self);
  carry_out(self, todo, nullptr);
}

// The report at the stop: counters, parameters, and which pushes arrived.
server_report final_report(server_actor* self) {
  auto& s = self->state;
  s.report.version = s.version;
  s.report.applied_at = s.applied_at;
  s.report.time = seconds_between(s.start, self->clock().now());
  s.report.params = copy_of(s.theta.values());
  s.report.lag = s.timing.lag.values();
  for (std::size_t w = 0; w < s.seen.size(); ++w)
    for (const auto& [incarnation, filter] : s.seen[w]) {
      s.report.seen.insert(s.report.seen.end(), {w, incarnation, filter.highest()});
      for (auto gap : filter.gaps())
        s.report.seen.push_back(gap);
      s.report.seen.push_back(0);
    }
  for (const auto& [w, incarnation, seq] : s.deferred)
    s.report.deferred.insert(s.report.deferred.end(), {w, incarnation, seq});
  return std::move(s.report); // sent once, at the stop: its histogram is not copied
}

// Fills the state from the spawn configuration; false when the mode has no server.
bool set_up(server_actor* self, const actor_config& config) {
  auto& st = self->state;
  auto scenario = shared_scenario(config.scenario);
  st.settings = server_settings_of(*scenario);
  st.residuals = residual_source{scenario};
  const auto& tr = st.settings.training;
  auto workers = st.settings.workers;
  st.rule = sim::make_server_rule(tr, workers, st.settings.sampling);
  if (!st.rule)
    return false;
  st.shard = config.id;
  if (const auto* clocks = clock_config_of(self->system()); clocks != nullptr && config.id == 0)
    st.progress = clocks->control;
  auto size = static_cast<Eigen::Index>(config.initial_parameters.size());
  st.theta = server_parameters{config.id, config.initial_parameters,
                               sim::server_messages_kept(static_cast<std::uint64_t>(size), workers)};
  st.optimizer = sim::make_optimizer(tr.optimizer, size);
  st.checkpoint_optimizer = st.optimizer->clone();
  st.history.emplace(tr.inject_staleness, st.settings.seed, workers, st.theta.values());
  st.report.shard = config.id;
  st.round_sum = sim::vector::Zero(size);
  st.seen.resize(workers);
  st.workers.resize(workers);
  st.checkpoint = st.theta.values();
  st.trace.actor = server_name(config.id);
  st.trace.enabled = st.settings.trace_events;
  if (st.settings.run.clock == sim::clock_kind::real_time)
    st.timing.follow_deadlines();
  return true;
}

} // namespace

server_settings server_settings_of(const sim::scenario& scn) {
  server_settings s{scn.training,      scn.cluster.workers, scn.cluster.server_apply_time,
                    scn.checkpoint.every, scn.run,          scn.trace.events, scn.seed,
                    {scn.cluster.participants, scn.seed}};
  s.run.stall_timeout = sim::effective_stall_timeout(scn);
  s.default_watchdog = !scn.run.stall_timeout && s.run.stall_timeout;
  s.wire_per_double = wire_per_double(scn, 0);
  return s;
}

caf::behavior parameter_server(server_actor* self, actor_config config) {
  guard_exceptions(self, server_name(config.id));
  if (!set_up(self, config))
    return {}; // allreduce: no server
  self->set_down_handler([=](caf::down_msg& msg) { on_worker_down(self, msg); });
  // Typed, so that the handlers are checked against the declared protocol. Gradients
  // come first: each handler of another type tried before costs a type comparison.
  server_actor_handle::behavior_type handlers{
    [=](const gradient_msg& g) -> no_reply {
      if (!self->state.stopped)
        on_gradient(self, g, g.at);
      return {};
    },
    [=](const gradient_msg& g, const hop_stamp& stamp) -> no_reply {
      if (!self->state.stopped)
        on_gradient(self, g, stamp.at);
      return {};
    },
    [=](wiring& w) {
      auto& s = self->state;
      s.downlinks = std::move(w.peers);
      s.worker_of.reserve(s.workers.size());
      for (std::uint32_t i = 0; i < w.watch.size() && i < s.workers.size(); ++i)
        watch_worker(self, i, w.watch[i]);
    },
    [=](start_atom, const caf::actor& recorder) {
      auto& s = self->state;
      s.recorder = recorder;
      s.trace.recorder = recorder;
      s.start = self->clock().now();
      s.timing.enter(s.start, 0);
      send_point(self);
      arm_watchdog(self);
      carry_out(self, s.rule->on_start(), nullptr);
    },
    [=](const join_msg& j) {
      if (!self->state.stopped)
        on_join(self, j);
    },
    [=](const effect_msg& e) {
      if (!self->state.stopped)
        on_effect(self, e);
    },
    [=](watchdog_atom, std::uint64_t applies) { on_watchdog(self, applies); },
    [=](stop_atom, const caf::actor& recorder) {
      self->state.stopped = true;
      if (self->state.last_point != self->state.version)
        send_point(self);
      self->send(recorder, final_report(self));
    },
  };
  return std::move(handlers.unbox());
}

} // namespace psim::actors
