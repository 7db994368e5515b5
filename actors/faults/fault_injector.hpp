// The fault injector: fires the scenario's [[faults]] at their times, telling each
// affected actor (workers, server, links) that a fault begins or ends, and restarts
// crashed workers as fresh actors that rejoin the training.
#pragma once

#include "actors/messages.hpp"
#include "sim/scenario/scenario.hpp"

#include <caf/all.hpp>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace psim::actors {

/// What the injector holds between messages.
struct fault_injector_state {
  std::shared_ptr<const sim::scenario> scenario;    ///< the run's scenario
  std::map<std::string, caf::actor> actors;         ///< every actor by name
  std::shared_ptr<std::vector<caf::actor>> restarted
    = std::make_shared<std::vector<caf::actor>>();  ///< workers it spawned (outlive the state)
  std::map<std::string, std::uint32_t> incarnations; ///< restarts per worker
  caf::actor recorder;                              ///< receives the injector's report
  injector_report report;                           ///< faults fired so far
  bool stopped = false;                             ///< the run has ended

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "fault_injector";
};

/// The behavior of the fault injector of the scenario `resolved_scenario`.
caf::behavior fault_injector(caf::stateful_actor<fault_injector_state>* self,
                             std::string resolved_scenario);

} // namespace psim::actors
