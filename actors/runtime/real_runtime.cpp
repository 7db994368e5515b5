// The real-clock runtime: CAF's threaded scheduler; link delays and compute times are
// real delays. The main thread only watches the stop conditions and draws progress.
#include "actors/runtime/clock.hpp"
#include "actors/cluster/cluster.hpp"
#include "actors/messages.hpp"
#include "actors/remote/node.hpp"
#include "actors/runtime/progress_display.hpp"
#include "actors/remote/remote_cluster.hpp"
#include "actors/runtime/runtime.hpp"

namespace psim::actors {

run_outcome run_real(const sim::scenario& scn, const run_options& options) {
  caf::actor_system_config cfg;
  register_types(cfg);
  bool remote = scn.deployment.enabled();
  if (remote)
    configure_remoting(cfg, options.tls);
  caf::actor_system sys{cfg};
  auto control = make_run_control(scn);
  auto actors = remote ? spawn_remote_cluster(sys, scn, control, options.out_dir, options)
                       : spawn_cluster(sys, scn, control, options.out_dir);
  progress_display display{scn, options.progress};
  control->start_wall_clock();
  actors.start();
  for (;;) {
    control->wait_for_stop(std::chrono::milliseconds(20));
    // Under the real clock the run's time is the wall clock's.
    auto elapsed = control->wall_seconds();
    control->check_outside(run_interrupted(), elapsed);
    if (control->stop_requested())
      break;
    display.update(*control, elapsed);
  }
  display.close();
  actors.stop();
  auto finished = control->wait_for_finish(std::chrono::seconds(30));
  auto outcome = control->outcome();
  if (!finished)
    outcome = {sim::stop_reason::stalled, "the actors did not report within 30 s of the stop",
               std::nullopt, ""};
  actors.kill();
  return outcome;
}

} // namespace psim::actors
