// Turns a resolved scenario into spawned, wired actors: workers, parameter server,
// one network link per direction between each worker and the server (or a ring of
// links for allreduce), the fault injector and the recorder.
#pragma once

#include "actors/messages.hpp"
#include "actors/runtime/run_control.hpp"
#include "sim/scenario/scenario.hpp"

#include <caf/all.hpp>

#include <functional>
#include <memory>
#include <stdexcept>
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
  bool stopped_while_spawning = false; ///< a stop came first: the recorder alone is left

  /// Starts the training: each server sends its parameters to every worker.
  void start() const;

  /// Asks every actor to report to the recorder and go quiet.
  void stop() const;

  /// Ends every actor.
  void kill() const;

  /// Ends every actor but the recorder, which can still write the summary.
  void kill_all_but_recorder() const;
};

/// Thrown by an actor_placer when the run was asked to stop while its actors spawn:
/// wire_cluster then ends what was spawned and returns the recorder alone.
struct spawn_stopped : std::runtime_error {
  spawn_stopped() : std::runtime_error("the run was stopped while its actors spawned") {}
};

/// How many actors are spawned (or started) between two looks at the stop conditions.
constexpr std::size_t stop_check_every = 4096;

/// Looks at the stop conditions seen from outside the actors (Ctrl-C, the wall clock)
/// and says whether `control` has a stop.
bool stop_came(run_control& control);

/// Before placement number `placed` (from 0) of a run's actors: every stop_check_every
/// placements, the first included, throws spawn_stopped when `control` has a stop.
void stop_if_asked(run_control& control, std::size_t placed);

/// Spawns one actor of a run where it belongs: given its name ("worker-3",
/// "worker-3->server-0"), its type ("worker", "parameter_server", "network_link") and
/// its configuration.
using actor_placer
  = std::function<caf::actor(const std::string& name, const std::string& type, actor_config)>;

/// What worker `worker` pushes to server shard `shard` through, given its uplink (a
/// deployment may put a relay in between).
using uplink_filter
  = std::function<caf::actor(std::uint32_t worker, std::uint32_t shard, caf::actor uplink)>;

/// Spawns an actor of `type` ("worker", "parameter_server", "network_link") in `sys`.
caf::actor spawn_local(caf::actor_system& sys, const std::string& type, actor_config config);

/// The number of final reports the recorder of `scn` waits for (the injector's included).
std::size_t expected_reports(const sim::scenario& scn);

/// How many actors spawn_cluster places for `scn`: workers, servers and links.
std::size_t placed_actors(const sim::scenario& scn);

/// Spawns the workers, servers, links and fault injector of `scn` with `place`, and
/// wires them: worker -> link -> server shard -> link -> worker, or a ring for allreduce.
cluster wire_cluster(caf::actor_system& sys, const sim::scenario& scn, caf::actor recorder,
                     const actor_placer& place, const uplink_filter& filter = {});

/// Spawns and wires the actors of `scn` in `sys`; the recorder writes into `out_dir`.
/// After each actor it calls `set_up` (if any) with the number placed so far, which may
/// run the new actor's set-up at once; every stop_check_every actors it looks for a stop,
/// and on one it ends what it spawned and returns the recorder alone, marked
/// stopped_while_spawning.
cluster spawn_cluster(caf::actor_system& sys, const sim::scenario& scn,
                      std::shared_ptr<run_control> control, const std::string& out_dir,
                      const std::function<void(std::size_t)>& set_up = {});

} // namespace psim::actors
