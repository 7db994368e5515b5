// Turns a resolved scenario into spawned, wired actors: workers, parameter server,
// one network link per direction between each worker and the server (or a ring of
// links for allreduce), the fault injector and the recorder.
#pragma once

#include "actors/run_control.hpp"
#include "sim/scenario.hpp"

#include <caf/all.hpp>

#include <memory>
#include <string>
#include <vector>

namespace psim::actors {

/// The actors of one run.
struct cluster {
  caf::actor recorder;             ///< writes the outputs
  std::vector<caf::actor> servers; ///< parameter-server shards
  std::vector<caf::actor> workers; ///< workers, by id
  std::vector<caf::actor> links;   ///< network links
  caf::actor injector;             ///< fires the scheduled faults

  /// Starts the training: each server sends its parameters to every worker.
  void start() const;

  /// Asks every actor to report to the recorder and go quiet.
  void stop() const;

  /// Ends every actor.
  void kill() const;
};

/// Spawns and wires the actors of `scn` in `sys`; the recorder writes into `out_dir`.
cluster spawn_cluster(caf::actor_system& sys, const sim::scenario& scn,
                      std::shared_ptr<run_control> control, const std::string& out_dir);

} // namespace psim::actors
