// The virtual-clock runtime: CAF's testing scheduler driven as a discrete-event
// simulation. Deliver every runnable message, then jump to the next scheduled event.
#include "actors/runtime/clock.hpp"
#include "actors/cluster/cluster.hpp"
#include "actors/messages.hpp"
#include "actors/runtime/progress_display.hpp"
#include "actors/runtime/runtime.hpp"

#include <caf/scheduler/test_coordinator.hpp>

#include <optional>

namespace psim::actors {

namespace {

// Checks the conditions that do not come from the actors: interrupts and wall time.
void check_outside(run_control& control, const sim::scenario& scn) {
  if (run_interrupted()) {
    control.request_stop("interrupted");
  } else if (scn.run.stop.wall) {
    auto elapsed = std::chrono::steady_clock::now() - control.wall_start;
    if (std::chrono::duration<double>(elapsed).count() >= *scn.run.stop.wall)
      control.request_stop("wall");
  }
}

} // namespace

run_outcome run_virtual(const sim::scenario& scn, const run_options& options) {
  caf::actor_system_config cfg;
  register_types(cfg);
  cfg.set("scheduler.policy", caf::atom("testing"));
  caf::actor_system sys{cfg};
  auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  auto& clock = sched.clock();
  auto control = std::make_shared<run_control>();
  auto actors = spawn_cluster(sys, scn, control, options.out_dir);
  sched.run();
  auto start = clock.now();
  std::optional<caf::actor_clock::time_point> horizon;
  if (scn.run.stop.time)
    horizon = start + to_timespan(*scn.run.stop.time);
  progress_display display{scn, options.progress};
  control->wall_start = std::chrono::steady_clock::now();
  actors.start();
  std::size_t steps = 0;
  for (;;) {
    while (!control->stop_requested() && sched.try_run_once()) {
      if (++steps % 1024 == 0) {
        check_outside(*control, scn);
        display.update(*control, seconds_between(start, clock.now()));
      }
    }
    check_outside(*control, scn);
    if (control->stop_requested())
      break;
    if (!sched.has_pending_timeout()) {
      control->request_stop("stalled", "nothing is left to happen: every actor waits "
                                       "for a message that no one will send");
      break;
    }
    auto next = clock.schedule().begin()->first;
    if (horizon && next > *horizon) {
      clock.advance_time(*horizon - clock.now());
      control->request_stop("time");
      break;
    }
    clock.advance_time(next - clock.now());
  }
  display.close();
  actors.stop();
  sched.run();
  actors.kill();
  sched.run();
  return {control->stopped_by(), control->detail()};
}

} // namespace psim::actors
