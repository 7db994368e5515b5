// The floor CAF 0.17 sets for psim's async benchmark: the same four messages per update
// (the push, sent to the uplink as the computation starts and arriving when it ends;
// delivery to the server, reply to the downlink, delivery to the worker) between bare
// actors on the same testing scheduler, with no arithmetic, no tracing and no counters.
// psim's updates per second against this program's are the share of CAF's floor that
// psim reaches.
#include "tools/benchmarks/caf_floor.hpp"
#include "tools/benchmarks/cpu_time.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>

#include <chrono>
#include <memory>
#include <random>
#include <vector>

namespace psim::bench {

namespace {

using go_atom = caf::atom_constant<caf::atom("go")>;
using push_atom = caf::atom_constant<caf::atom("push")>;

// A link: forwards each message after a fixed latency.
caf::behavior link(caf::event_based_actor* self, caf::actor destination) {
  return {
    [=](push_atom, std::uint32_t worker) {
      self->delayed_send(destination, std::chrono::microseconds(100), push_atom::value, worker);
    },
    [=](go_atom, std::uint32_t worker) {
      self->delayed_send(destination, std::chrono::microseconds(100), go_atom::value, worker);
    },
  };
}

// A worker: on parameters, a push through its uplink, there a compute time later.
caf::behavior worker(caf::event_based_actor* self, std::uint32_t id, caf::actor uplink,
                     std::shared_ptr<std::mt19937_64> rng) {
  return {
    [=](go_atom, std::uint32_t) {
      std::exponential_distribution<double> compute{1000.0}; // mean 1 ms
      auto delay = std::chrono::nanoseconds(static_cast<long long>(compute(*rng) * 1e9));
      self->delayed_send(uplink, delay, push_atom::value, id);
    },
  };
}

// The server: counts updates and answers each push through the worker's downlink.
struct server_state {
  std::vector<caf::actor> downlinks;
  std::uint64_t updates = 0;
};

caf::behavior server(caf::stateful_actor<server_state>* self) {
  return {
    [=](std::vector<caf::actor> downlinks) { self->state.downlinks = std::move(downlinks); },
    [=](push_atom, std::uint32_t worker) {
      ++self->state.updates;
      self->send(self->state.downlinks[worker], go_atom::value, worker);
    },
  };
}

} // namespace

floor_result run_caf_floor(std::uint32_t workers, std::uint64_t updates) {
  caf::actor_system_config cfg;
  cfg.set("scheduler.policy", caf::atom("testing"));
  caf::actor_system sys{cfg};
  auto& sched = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  auto rng = std::make_shared<std::mt19937_64>(1);
  auto srv = sys.spawn(server);
  std::vector<caf::actor> downlinks, all{srv};
  for (std::uint32_t w = 0; w < workers; ++w) {
    auto up = sys.spawn(link, srv);
    auto wk = sys.spawn(worker, w, up, rng);
    auto down = sys.spawn(link, wk);
    downlinks.push_back(down);
    all.insert(all.end(), {up, wk, down});
    caf::anon_send(wk, go_atom::value, w);
    sched.run(); // set up at once, next to their memory, as psim's virtual runtime does
  }
  caf::anon_send(srv, std::move(downlinks));
  auto* state = &caf::actor_cast<caf::stateful_actor<server_state>*>(srv)->state;
  auto wall0 = std::chrono::steady_clock::now();
  auto cpu0 = cpu_seconds();
  auto& clock = sched.clock();
  while (state->updates < updates) {
    sched.run();
    if (!sched.has_pending_timeout())
      break;
    clock.advance_time(clock.schedule().begin()->first - clock.now());
  }
  floor_result r{state->updates,
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count(),
                 cpu_seconds() - cpu0};
  for (const auto& a : all)
    caf::anon_send_exit(a, caf::exit_reason::kill);
  sched.run();
  return r;
}

} // namespace psim::bench
