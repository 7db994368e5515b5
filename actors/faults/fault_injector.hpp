// The fault injector: turns the scenario's [[faults]] into effects once, and at each
// effect's begin and end tells exactly the workers, servers and links it touches;
// restarts crashed workers as fresh actors that rejoin the training; under [availability]
// sends workers offline and brings them back (availability.cpp).
#pragma once

#include "actors/messages.hpp"
#include "sim/cluster/actor_id.hpp"
#include "sim/cluster/faults.hpp"
#include "sim/random/random.hpp"
#include "sim/scenario/scenario.hpp"

#include <caf/all.hpp>

#include <map>
#include <memory>
#include <vector>

namespace psim::actors {

/// The injector's own availability timer: `(availability_atom, worker, online, at)`.
using availability_atom = caf::atom_constant<caf::atom("avail")>;

/// What the injector holds between messages.
struct fault_injector_state {
  std::shared_ptr<const sim::scenario> scenario;     ///< the run's scenario
  std::vector<sim::fault_effect> effects;            ///< per fault: effect and window
  std::map<sim::target_id, caf::actor, sim::by_name> actors; ///< every actor and link
  std::shared_ptr<std::vector<caf::actor>> restarted
    = std::make_shared<std::vector<caf::actor>>();   ///< workers it spawned (outlive the state)
  std::map<std::uint32_t, std::uint32_t> incarnations; ///< restarts per worker number
  std::map<std::uint32_t, std::size_t> records;      ///< per fault begun: its report entry
  caf::actor recorder;                               ///< receives the injector's report
  injector_report report;                            ///< faults fired so far
  bool stopped = false;                              ///< the run has ended
  std::map<std::uint32_t, sim::random_stream> availability_rngs; ///< per worker with a
                                                     ///< pattern: "availability/worker-<i>"
  std::map<std::uint32_t, std::size_t> offline;      ///< workers offline: their report entry

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "fault_injector";
};

/// A crashed or departed worker comes back as a fresh actor on the same links.
void restart_worker(caf::stateful_actor<fault_injector_state>* self, sim::actor_id who);

/// Schedules the availability changes of [availability]: every trace row, or each
/// patterned worker's first departure.
void schedule_availability(caf::stateful_actor<fault_injector_state>* self);

/// Worker `worker` goes offline or comes back at `at` seconds; under a pattern the
/// next change is drawn and scheduled.
void change_availability(caf::stateful_actor<fault_injector_state>* self,
                         std::uint32_t worker, bool online, double at);

/// The behavior of the fault injector of the scenario `resolved_scenario`.
caf::behavior fault_injector(caf::stateful_actor<fault_injector_state>* self,
                             std::string resolved_scenario);

} // namespace psim::actors
