// The real-clock runtime: CAF's threaded scheduler; link delays and compute times are
// real delays, shipped by psim's real_timer. The main thread only watches the stop
// conditions and draws progress.
#include "actors/runtime/clock.hpp"
#include "actors/runtime/cores.hpp"
#include "actors/cluster/cluster.hpp"
#include "actors/messages.hpp"
#include "actors/runtime/progress_display.hpp"
#include "actors/runtime/remoting_hooks.hpp"
#include "actors/runtime/failure_watch.hpp"
#include "actors/runtime/run_end.hpp"
#include "actors/runtime/runtime.hpp"
#include "actors/runtime/send_later.hpp"

namespace psim::actors {

run_outcome run_real(const sim::scenario& scn, const run_options& options) {
  // Declared before the system, so that they outlive the actors that might still use them.
  real_timer timer;
  auto control = make_run_control(scn);
  clock_config cfg;
  cfg.timer = &timer;
  cfg.control = control.get(); // shard 0 notes its versions there
  register_types(cfg);
  configure_scheduler(cfg);
  const remoting_hooks* remote = scn.deployment.enabled() ? required_remoting() : nullptr;
  if (remote != nullptr)
    remote->configure(cfg, options.tls);
  caf::actor_system sys{cfg};
  timer_thread shipping{timer}; // stops before the system: the messages left go with it
  // The wall clock counts the spawning: Ctrl-C or a wall stop may end the run in it.
  control->start_wall_clock();
  progress_display display{scn, options.progress};
  auto spawned = [&display, total = placed_actors(scn)](std::size_t placed) {
    display.setting_up(placed, total);
  };
  auto actors = remote != nullptr ? remote->spawn(sys, scn, control, options.out_dir, options)
                       : spawn_cluster(sys, scn, control, options.out_dir, spawned);
  display.close();
  if (actors.stopped_while_spawning) {
    // The spawned actors are ended; the recorder writes the summary of no update.
    summarize_now(actors.recorder);
    control->wait_for_finish(std::chrono::seconds(30));
    actors.kill();
    return finished_outcome(scn, *control, options.out_dir);
  }
  auto watch = spawn_failure_watch(sys, control, watch_list(actors), watch_names(actors));
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
  display.stopping(placed_actors(scn));
  actors.stop();
  // A failed actor will not report: the others get a moment, not 30 s.
  bool failed = control->outcome().stopped_by == sim::stop_reason::failed;
  if (!control->wait_for_finish(std::chrono::seconds(failed ? 1 : 30))) {
    if (!failed)
      control->stall_after_stop("the actors did not report within 30 s of the stop");
    summarize_now(actors.recorder);
    control->wait_for_finish(std::chrono::seconds(5));
  }
  display.close();
  actors.kill();
  caf::anon_send_exit(watch, caf::exit_reason::kill);
  return finished_outcome(scn, *control, options.out_dir);
}

} // namespace psim::actors
