// The fault injector: one timer per fault boundary; at each, the actors the fault
// touches get `(fault_atom, index, begin)`; a crash's end spawns a new worker.
#include "actors/faults/fault_injector.hpp"

#include "actors/runtime/clock.hpp"
#include "actors/recorder/event_trace.hpp"
#include "actors/runtime/scenario_cache.hpp"
#include "actors/worker/worker.hpp"

namespace psim::actors {

namespace {

using injector_actor = caf::stateful_actor<fault_injector_state>;
using sim::fault_kind;

// The link names "a->b" split into their ends.
std::pair<std::string, std::string> link_ends(const std::string& name) {
  auto arrow = name.find("->");
  return {name.substr(0, arrow), name.substr(arrow + 2)};
}

// The actors fault `f` speaks to.
std::vector<std::pair<std::string, caf::actor>> affected(const fault_injector_state& st,
                                                         const sim::fault& f) {
  std::vector<std::pair<std::string, caf::actor>> result;
  for (const auto& [name, handle] : st.actors) {
    bool is_link = name.find("->") != std::string::npos;
    bool hit = false;
    if (f.kind == fault_kind::partition || f.kind == fault_kind::drop
        || f.kind == fault_kind::latency) {
      if (is_link) {
        auto [from, to] = link_ends(name);
        hit = f.touches_link(from, to);
      }
    } else {
      hit = !is_link && sim::name_matches(f.target, name);
    }
    if (hit)
      result.emplace_back(name, handle);
  }
  return result;
}

// A crashed worker comes back as a new actor on the same links.
void restart_worker(injector_actor* self, const std::string& name) {
  auto& st = self->state;
  auto id = static_cast<std::uint32_t>(std::stoul(name.substr(name.find('-') + 1)));
  auto incarnation = ++st.incarnations[name];
  auto fresh = caf::actor_cast<caf::actor>(
    self->spawn(worker, actor_config{id, "", "", st.scenario->resolved, incarnation, ""}));
  st.restarted->push_back(fresh);
  ++st.report.extra_reports;
  st.actors[name] = fresh;
  std::vector<caf::actor> uplinks;
  for (std::size_t s = 0; s < st.scenario->cluster.servers; ++s) {
    auto server = "server-" + std::to_string(s);
    uplinks.push_back(st.actors.at(name + "->" + server));
    self->send(st.actors.at(server + "->" + name), wiring{{fresh}, {}});
  }
  self->send(fresh, wiring{std::move(uplinks), {}});
  self->send(fresh, start_atom::value, st.recorder);
}

void fire(injector_actor* self, std::uint32_t index, bool begin) {
  auto& st = self->state;
  const auto& f = st.scenario->faults.at(index);
  auto targets = affected(st, f);
  auto now = st.scenario->faults[index].at
             + (begin ? 0
                      : (f.kind == fault_kind::crash || f.kind == fault_kind::server_crash
                           ? f.restart_after.value_or(0)
                           : f.duration));
  if (begin) {
    std::string names;
    for (const auto& [name, handle] : targets)
      names += (names.empty() ? "" : ", ") + name;
    st.report.faults.push_back(fault_record{f.at, sim::to_string(f.kind), names, -1});
  } else {
    for (auto& record : st.report.faults)
      if (record.at == f.at && record.kind == sim::to_string(f.kind) && record.until < 0)
        record.until = now;
  }
  for (const auto& [name, handle] : targets) {
    if (f.kind == fault_kind::crash && !begin)
      restart_worker(self, name);
    else
      self->send(handle, fault_atom::value, index, begin);
  }
}

} // namespace

caf::behavior fault_injector(injector_actor* self, std::string resolved_scenario) {
  self->state.scenario = shared_scenario(resolved_scenario);
  // The workers it restarted end with it (the functor runs after the state is gone).
  self->attach_functor([restarted = self->state.restarted](const caf::error&) {
    for (const auto& w : *restarted)
      caf::anon_send_exit(w, caf::exit_reason::kill);
  });
  return {
    [=](directory& d) {
      for (std::size_t i = 0; i < d.names.size(); ++i)
        self->state.actors[d.names[i]] = d.handles[i];
    },
    [=](start_atom, const caf::actor& recorder) {
      auto& st = self->state;
      st.recorder = recorder;
      for (std::uint32_t i = 0; i < st.scenario->faults.size(); ++i) {
        const auto& f = st.scenario->faults[i];
        self->delayed_send(self, to_timespan(f.at), fault_atom::value, i, true);
        double end = -1;
        if (f.kind == fault_kind::crash || f.kind == fault_kind::server_crash) {
          if (f.restart_after)
            end = f.at + *f.restart_after;
          else if (f.kind == fault_kind::server_crash)
            end = f.at; // back at once, from its checkpoint
        } else {
          end = f.at + f.duration;
        }
        if (end >= 0)
          self->delayed_send(self, to_timespan(end), fault_atom::value, i, false);
      }
    },
    [=](fault_atom, std::uint32_t index, bool begin) {
      if (!self->state.stopped)
        fire(self, index, begin);
    },
    [=](stop_atom, const caf::actor& recorder) {
      auto& st = self->state;
      st.stopped = true;
      for (const auto& w : *st.restarted)
        self->send(w, stop_atom::value, recorder);
      self->send(recorder, st.report);
    },
  };
}

} // namespace psim::actors
