// The virtual-clock runtime: CAF's testing scheduler driven as a discrete-event
// simulation. Deliver every runnable message, then jump to the next scheduled event:
// the earliest of psim's event_queue (every send_later) and CAF's own clock.
#include "actors/runtime/caf_logger.hpp"
#include "actors/runtime/clock.hpp"
#include "actors/cluster/cluster.hpp"
#include "actors/messages.hpp"
#include "actors/runtime/progress_display.hpp"
#include "actors/runtime/failure_watch.hpp"
#include "actors/runtime/outside_pace.hpp"
#include "actors/runtime/run_end.hpp"
#include "actors/runtime/runtime.hpp"
#include "actors/runtime/send_later.hpp"
#include "actors/worker/worker.hpp"

#include <caf/actor_storage.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include <algorithm>
#include <iterator>
#include <optional>

namespace psim::actors {

namespace {

// From this many workers on, the actors (some 7 KB per worker) outgrow the processor's
// caches, and each shipped message has the next one's receiver fetched ahead: 9-13 %
// less CPU per message at 10,000 and 100,000 workers, 2 % at 1,000, 1-2 % more at 100.
constexpr std::size_t warm_from_workers = 1000;

// Bytes fetched of a receiver: a worker's control block and actor, the largest of the
// actors that messages wake at every update (a link's is smaller).
constexpr std::size_t warm_bytes = sizeof(caf::actor_storage<std::remove_pointer_t<worker_self>>);

bool is_watchdog(const caf::mailbox_element& element) {
  return element.content().match_elements<watchdog_atom, std::uint64_t>();
}

// True when nothing but stall watchdogs is scheduled, in either queue: under the default
// watchdog (no run.stall_timeout) that is the same as nothing left to happen, and the
// run ends at once rather than at the watchdog.
bool only_watchdogs(const caf::detail::test_actor_clock& clock, const event_queue& queue) {
  using clock_type = caf::detail::simple_actor_clock;
  for (const auto& [due, event] : clock.schedule()) {
    if (event->subtype != clock_type::actor_msg_type)
      return false;
    if (!is_watchdog(*static_cast<const clock_type::actor_msg&>(*event).content))
      return false;
  }
  return queue.all_of(is_watchdog);
}

// True when nothing is left that could move the run on.
bool nothing_to_happen(const sim::scenario& scn, const caf::detail::test_actor_clock& clock,
                       const event_queue& queue) {
  if (!clock.has_pending_timeout() && queue.empty())
    return true;
  return !scn.run.stall_timeout && only_watchdogs(clock, queue);
}

// The due time of the earliest event of either queue (one must have one).
caf::actor_clock::time_point next_due(const caf::detail::test_actor_clock& clock,
                                      const event_queue& queue) {
  if (queue.empty())
    return clock.schedule().begin()->first;
  if (!clock.has_pending_timeout())
    return queue.next_due();
  return std::min(clock.schedule().begin()->first, queue.next_due());
}

// Moves the clock to `t`: CAF's own events due by then arrive first, then the queue's,
// each in the order they were sent.
void advance_to(caf::detail::test_actor_clock& clock, event_queue& queue,
                caf::actor_clock::time_point t) {
  clock.advance_time(t - clock.now());
  queue.ship_due(t);
}

// Runs every job, moving the recorder to the front of the queue every 1024 jobs when it
// waits near the back: at the stop, a million workers' reports are folded in as they come
// instead of waiting in its mailbox together (some 0.8 KB per worker). The recorder sends
// nothing to other actors, so their order, and the run, are the same.
void run_recorder_early(caf::scheduler::test_coordinator& sched, const caf::actor& recorder) {
  auto* job = dynamic_cast<caf::resumable*>(caf::actor_cast<caf::abstract_actor*>(recorder));
  auto& jobs = sched.jobs;
  std::size_t steps = 0;
  while (sched.try_run_once()) {
    if (++steps % 1024 != 0 || jobs.size() < 2)
      continue;
    // A report woke it lately, so it joined near the back; look no further than that.
    auto last = jobs.rbegin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(jobs.size(), 4096));
    auto it = std::find(jobs.rbegin(), last, job);
    if (it != last) {
      jobs.erase(std::next(it).base());
      jobs.push_front(job);
    }
  }
}

// Runs the actors' first jobs (their set-up and wiring), looking for a stop every
// stop_check_every jobs; false when one came.
bool set_up_actors(caf::scheduler::test_coordinator& sched, run_control& control) {
  std::size_t jobs = 0;
  while (sched.try_run_once())
    if (++jobs % stop_check_every == 0 && stop_came(control))
      return false;
  return true;
}

// A stop before the start: every actor ends, and the recorder writes the summary of a
// run that made no update.
void end_before_start(caf::scheduler::test_coordinator& sched, const cluster& actors,
                      const caf::actor& watch) {
  caf::anon_send_exit(watch, caf::exit_reason::kill);
  actors.kill_all_but_recorder();
  summarize_now(actors.recorder);
  sched.run();
  caf::anon_send_exit(actors.recorder, caf::exit_reason::kill);
  sched.run();
}

// After the loop: stops the actors, has the summary written whatever ended the run,
// then ends the failure watch and the actors.
void wind_down(caf::scheduler::test_coordinator& sched, cluster& actors,
               const caf::actor& watch, run_control& control) {
  actors.stop();
  run_recorder_early(sched, actors.recorder);
  if (!control.finished()) {
    // An actor failed or is gone: the summary of what came.
    summarize_now(actors.recorder);
    sched.run();
  }
  // The watch first: the ends of a million actors then send it no down messages.
  caf::anon_send_exit(watch, caf::exit_reason::kill);
  sched.run();
  actors.kill();
  sched.run();
}

// Runs jobs and moves the clock until a stop: every job and every move of the clock is a
// step; the conditions seen from outside (an interrupt, run.stop.wall) are checked before
// the first, then at the pace outside_pace sets (every 1,024 quick steps, every step of a
// big model's) and before the run ends for want of events, not at each of the several
// moves per update (a lock and a read of the wall clock each).
void drive(const sim::scenario& scn, caf::scheduler::test_coordinator& sched,
           event_queue& queue, run_control& control, progress_display& display,
           caf::actor_clock::time_point start) {
  auto& clock = sched.clock();
  std::optional<caf::actor_clock::time_point> horizon;
  // The time condition under the virtual clock: the driver does not cross run.stop.time.
  if (scn.run.stop.time)
    horizon = start + to_timespan(*scn.run.stop.time);
  outside_pace pace{outside_pace::clock::now()};
  auto check_outside = [&] {
    leave_caf_logger(); // again after a spawn (a restarted worker) attached it
    control.check_outside(run_interrupted());
    display.update(control, seconds_between(start, clock.now()));
    pace.looked(outside_pace::clock::now());
  };
  check_outside(); // an interrupt while the data loaded stops the run at version 0
  for (;;) {
    while (!control.stop_requested() && sched.try_run_once())
      if (pace.due())
        check_outside();
    if (pace.due())
      check_outside();
    if (control.stop_requested())
      break;
    if (nothing_to_happen(scn, clock, queue)) {
      control.check_outside(run_interrupted());
      control.request_stop(sim::stop_reason::stalled, "nothing is left to happen: every actor "
                                                      "waits for a message that no one will send");
      break;
    }
    auto next = next_due(clock, queue);
    if (horizon && next > *horizon) {
      control.check_outside(run_interrupted());
      advance_to(clock, queue, *horizon);
      control.request_stop(sim::stop_reason::time);
      break;
    }
    advance_to(clock, queue, next);
  }
}

} // namespace

run_outcome run_virtual(const sim::scenario& scn, const run_options& options) {
  auto control = make_run_control(scn); // outlives the actors: shard 0 notes versions there
  clock_config cfg;
  cfg.control = control.get();
  register_types(cfg);
  cfg.set("scheduler.policy", caf::atom("testing"));
  caf::actor_system sys{cfg};
  // Declared after the system: the messages it drops at the end go while it still runs.
  event_queue queue;
  cfg.queue = &queue;
  // The big models' gradient messages this thread kept go when the run ends.
  struct release_gradients {
    ~release_gradients() { release_thread_gradients(); }
  } gradients;
  auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  auto& clock = sched.clock();
  // The wall clock counts the spawning: Ctrl-C or a wall stop may end the run in it.
  control->start_wall_clock();
  // Each actor is set up as soon as it is spawned: what its set-up allocates (behavior,
  // state) then lies next to it, which at 100,000 workers made an async update 5-30 %
  // cheaper than setting them up in batches; and a stop ends set-up actors, quickly.
  progress_display display{scn, options.progress};
  auto set_up = [&sched, &display, total = placed_actors(scn)](std::size_t placed) {
    sched.run();
    display.setting_up(placed, total);
  };
  auto actors = spawn_cluster(sys, scn, control, options.out_dir, set_up);
  display.close();
  caf::actor watch;
  if (!actors.stopped_while_spawning)
    watch = spawn_failure_watch(sys, control, watch_list(actors), watch_names(actors));
  if (actors.stopped_while_spawning || !set_up_actors(sched, *control)) {
    end_before_start(sched, actors, watch);
    return finished_outcome(scn, *control, options.out_dir);
  }
  auto start = clock.now();
  if (scn.cluster.workers >= warm_from_workers)
    queue.warm_receivers(warm_bytes);
  actors.start();
  drive(scn, sched, queue, *control, display, start);
  display.stopping(placed_actors(scn));
  wind_down(sched, actors, watch, *control);
  display.close();
  queue.clear();
  return finished_outcome(scn, *control, options.out_dir);
}

} // namespace psim::actors
