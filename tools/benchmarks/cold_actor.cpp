// The cold-actor program: the server, on each answer, sends the next wake to an actor
// drawn from its own generator; the actor answers at once. One message is in flight at
// a time, so every cold actor's cache misses are paid in full, as in psim's virtual
// runtime, where the next message's receiver is known only when it is due.
#include "tools/benchmarks/cold_actor.hpp"
#include "tools/benchmarks/cpu_time.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include <random>
#include <vector>

namespace psim::bench {

namespace {

using wake_atom = caf::atom_constant<caf::atom("wake")>;
using answer_atom = caf::atom_constant<caf::atom("answer")>;

struct waker_state {
  std::vector<caf::actor> sleepers;
  std::uint64_t wakes_left = 0;
  std::mt19937_64 draw{1};
};

// Wakes a random sleeper at each answer until no wakes are left.
caf::behavior waker(caf::stateful_actor<waker_state>* self) {
  return {
    [=](std::vector<caf::actor> sleepers, std::uint64_t wakes) {
      self->state.sleepers = std::move(sleepers);
      self->state.wakes_left = wakes;
    },
    [=](answer_atom) {
      auto& st = self->state;
      if (st.wakes_left == 0)
        return;
      --st.wakes_left;
      self->send(st.sleepers[st.draw() % st.sleepers.size()], wake_atom::value);
    },
  };
}

// Answers each wake at once.
caf::behavior sleeper(caf::event_based_actor* self, caf::actor waker) {
  return {[=](wake_atom) { self->send(waker, answer_atom::value); }};
}

// CPU seconds of `wakes` wakes among `actors` actors, set-up and stop excluded.
double run_wakes(std::uint32_t actors, std::uint64_t wakes) {
  caf::actor_system_config cfg;
  cfg.set("scheduler.policy", caf::atom("testing"));
  caf::actor_system sys{cfg};
  auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  auto srv = sys.spawn(waker);
  std::vector<caf::actor> sleepers;
  for (std::uint32_t i = 0; i < actors; ++i) {
    sleepers.push_back(sys.spawn(sleeper, srv));
    sched.run(); // set up at once, next to their memory, as psim's virtual runtime does
  }
  caf::anon_send(srv, sleepers, wakes);
  sched.run();
  auto start = cpu_seconds();
  caf::anon_send(srv, answer_atom::value);
  sched.run();
  auto spent = cpu_seconds() - start;
  for (const auto& a : sleepers)
    caf::anon_send_exit(a, caf::exit_reason::kill);
  caf::anon_send_exit(srv, caf::exit_reason::kill);
  sched.run();
  return spent;
}

} // namespace

double cold_actor_cost(std::uint32_t actors, std::uint64_t wakes) {
  auto once = run_wakes(actors, wakes);
  auto twice = run_wakes(actors, 2 * wakes);
  return (twice - once) / static_cast<double>(wakes);
}

} // namespace psim::bench
