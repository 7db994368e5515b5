// The fault injector: one timer per fault boundary; at each, the actors and links the
// fault touches get an effect_msg; the end of a worker_down effect spawns a new worker.
#include "actors/faults/fault_injector.hpp"

#include "actors/runtime/clock.hpp"
#include "actors/runtime/send_later.hpp"
#include "actors/runtime/failure_watch.hpp"
#include "actors/runtime/scenario_cache.hpp"
#include "actors/worker/worker.hpp"

namespace psim::actors {

namespace {

using injector_actor = caf::stateful_actor<fault_injector_state>;
using sim::actor_id;
using sim::link_id;

} // namespace

void restart_worker(injector_actor* self, actor_id who) {
  auto& st = self->state;
  auto incarnation = ++st.incarnations[who.index];
  auto fresh = caf::actor_cast<caf::actor>(self->spawn(
    worker, actor_config{who.index, "", "", st.scenario->resolved, incarnation, ""}));
  st.restarted->push_back(fresh);
  ++st.report.extra_reports;
  st.actors[who] = fresh;
  std::vector<caf::actor> uplinks;
  for (std::uint32_t s = 0; s < st.scenario->cluster.servers; ++s) {
    auto server = actor_id::server(s);
    uplinks.push_back(st.actors.at(link_id{who, server}));
    self->send(st.actors.at(link_id{server, who}), wiring{{fresh}, {}});
  }
  self->send(fresh, wiring{std::move(uplinks), {}});
  self->send(fresh, start_atom::value, st.recorder);
}

namespace {

// Notes in the report that fault `index` began on `targets`, or when it ended.
void record(fault_injector_state& st, std::uint32_t index, bool begin,
            const std::vector<sim::target_id>& targets) {
  const auto& f = st.scenario->faults[index];
  if (!begin) {
    st.report.faults[st.records.at(index)].until = *st.effects[index].end;
    return;
  }
  std::string names;
  for (const auto& target : targets)
    names += (names.empty() ? "" : ", ") + sim::to_string(target);
  st.records[index] = st.report.faults.size();
  st.report.faults.push_back(fault_record{f.at, sim::to_string(f.kind), names, -1});
}

// Fault `index` begins or ends: its effect reaches every target it touches, in name order.
void fire(injector_actor* self, std::uint32_t index, bool begin) {
  auto& st = self->state;
  const auto& f = st.scenario->faults.at(index);
  const auto& what = st.effects.at(index).what;
  std::vector<sim::target_id> targets;
  for (const auto& [target, handle] : st.actors)
    if (sim::touches(f, target))
      targets.push_back(target);
  record(st, index, begin, targets);
  for (const auto& target : targets) {
    if (what.kind == sim::effect_kind::worker_down && !begin)
      restart_worker(self, std::get<actor_id>(target));
    else
      self->send(st.actors.at(target), effect_msg{index, what, begin});
  }
}

// Schedules the begin and, when it has one, the end of every fault's effect.
void schedule(injector_actor* self) {
  const auto& effects = self->state.effects;
  for (std::uint32_t i = 0; i < effects.size(); ++i) {
    send_later(self, self, to_timespan(effects[i].begin), fault_atom::value, i, true);
    if (effects[i].end)
      send_later(self, self, to_timespan(*effects[i].end), fault_atom::value, i, false);
  }
}

} // namespace

caf::behavior fault_injector(injector_actor* self, std::string resolved_scenario) {
  guard_exceptions(self, "fault-injector");
  auto& st = self->state;
  st.scenario = shared_scenario(resolved_scenario);
  for (const auto& f : st.scenario->faults)
    st.effects.push_back(sim::effect_of(f));
  // The workers it restarted end with it (the functor runs after the state is gone).
  self->attach_functor([restarted = st.restarted](const caf::error&) {
    for (const auto& w : *restarted)
      caf::anon_send_exit(w, caf::exit_reason::kill);
  });
  return {
    [=](directory& d) {
      for (std::size_t i = 0; i < d.names.size(); ++i)
        if (auto target = sim::parse_target_id(d.names[i]))
          self->state.actors[*target] = d.handles[i];
    },
    [=](start_atom, const caf::actor& recorder) {
      self->state.recorder = recorder;
      throw_if_injected("fault-injector");
      schedule(self);
      schedule_availability(self);
    },
    [=](availability_atom, std::uint32_t worker, bool online, double at) {
      if (!self->state.stopped)
        change_availability(self, worker, online, at);
    },
    [=](fault_atom, std::uint32_t index, bool begin) {
      if (!self->state.stopped)
        fire(self, index, begin);
    },
    [=](stop_atom, const caf::actor& recorder) {
      auto& s = self->state;
      s.stopped = true;
      for (const auto& w : *s.restarted)
        self->send(w, stop_atom::value, recorder);
      self->send(recorder, s.report);
    },
  };
}

} // namespace psim::actors
