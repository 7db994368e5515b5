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
  auto control = std::make_shared<run_control>();
  auto actors = remote ? spawn_remote_cluster(sys, scn, control, options.out_dir, options)
                       : spawn_cluster(sys, scn, control, options.out_dir);
  progress_display display{scn, options.progress};
  control->wall_start = std::chrono::steady_clock::now();
  auto start = control->wall_start;
  actors.start();
  const auto& stop = scn.run.stop;
  for (;;) {
    control->wait_for_stop(std::chrono::milliseconds(20));
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
    if (run_interrupted())
      control->request_stop("interrupted");
    if (stop.time && elapsed.count() >= *stop.time)
      control->request_stop("time");
    if (stop.wall && elapsed.count() >= *stop.wall)
      control->request_stop("wall");
    if (control->stop_requested())
      break;
    display.update(*control, elapsed.count());
  }
  display.close();
  actors.stop();
  run_outcome outcome{control->stopped_by(), control->detail()};
  if (!control->wait_for_finish(std::chrono::seconds(30)))
    outcome = {"stalled", "the actors did not report within 30 s of the stop"};
  actors.kill();
  return outcome;
}

} // namespace psim::actors
