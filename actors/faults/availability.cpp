// Availability as fault effects: the injector draws each patterned worker's online and
// offline periods from its own stream (or reads them from the trace), sends the worker a
// worker_offline effect when it leaves and restarts it when it comes back.
#include "actors/faults/fault_injector.hpp"

#include "actors/recorder/event_trace.hpp"
#include "actors/runtime/clock.hpp"
#include "actors/runtime/send_later.hpp"

#include <limits>

namespace psim::actors {

namespace {

using injector_actor = caf::stateful_actor<fault_injector_state>;

/// The fault number an availability effect carries: none of [[faults]].
constexpr std::uint32_t availability_fault = std::numeric_limits<std::uint32_t>::max();

// Sends the change of `worker` to `online` at `at`, `from` seconds being now.
void schedule_change(injector_actor* self, std::uint32_t worker, bool online, double at,
                     double from) {
  send_later(self, self, to_timespan(std::max(0.0, at - from)), availability_atom::value,
             worker, online, at);
}

// Draws the length of the online (`up`) or offline period `worker` begins.
double next_period(fault_injector_state& st, std::uint32_t worker, bool up) {
  const auto* pattern = sim::pattern_of(st.scenario->availability, worker);
  auto& rng = st.availability_rngs.at(worker);
  return (up ? pattern->up : pattern->down).sample(rng);
}

void go_offline(injector_actor* self, std::uint32_t worker, double at) {
  auto& st = self->state;
  auto who = sim::actor_id::worker(worker);
  st.offline[worker] = st.report.faults.size();
  st.report.faults.push_back(fault_record{at, "offline", sim::to_string(who), -1});
  sim::effect leave{sim::effect_kind::worker_offline, 1, 1, {}};
  self->send(st.actors.at(who), effect_msg{availability_fault, leave, true});
}

void come_back(injector_actor* self, std::uint32_t worker, double at) {
  auto& st = self->state;
  auto who = sim::actor_id::worker(worker);
  st.report.faults[st.offline.at(worker)].until = at;
  st.offline.erase(worker);
  if (st.scenario->trace.events)
    self->send(st.recorder, event_msg{sim::to_string(who), std::string{sim::to_string(event_kind::online)}, {}, -1, -1, 0});
  restart_worker(self, who);
}

} // namespace

void schedule_availability(injector_actor* self) {
  auto& st = self->state;
  const auto& availability = st.scenario->availability;
  for (const auto& change : availability.changes)
    schedule_change(self, change.worker, change.online, change.at, 0);
  if (availability.patterns.empty())
    return;
  for (std::uint32_t w = 0; w < st.scenario->cluster.workers; ++w) {
    if (sim::pattern_of(availability, w) == nullptr)
      continue;
    auto stream = "availability/" + sim::to_string(sim::actor_id::worker(w));
    st.availability_rngs.emplace(w, sim::random_stream{st.scenario->seed, stream});
    schedule_change(self, w, false, next_period(st, w, true), 0);
  }
}

void change_availability(injector_actor* self, std::uint32_t worker, bool online, double at) {
  auto& st = self->state;
  bool is_offline = st.offline.count(worker) > 0;
  if (online && is_offline)
    come_back(self, worker, at);
  else if (!online && !is_offline)
    go_offline(self, worker, at);
  if (st.availability_rngs.count(worker) > 0)
    schedule_change(self, worker, !online, at + next_period(st, worker, online), at);
}

} // namespace psim::actors
