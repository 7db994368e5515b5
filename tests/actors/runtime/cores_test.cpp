// Tests for actors/runtime/cores.hpp: a cgroup quota line gives its cores rounded up,
// the affinity mask bounds the usable cores, and the real clock's scheduler gets one
// thread per usable core, whose idle threads poll less than CAF's.
#include "actors/runtime/cores.hpp"

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/scheduler/abstract_coordinator.hpp>
#include <doctest/doctest.h>

#include <sched.h>

using psim::actors::cores_of_quota;
using psim::actors::configure_scheduler;
using psim::actors::usable_cores;

TEST_CASE("a cgroup quota line grants its cores, rounded up") {
  CHECK(cores_of_quota("200000 100000") == 2u);
  CHECK(cores_of_quota("150000 100000\n") == 2u);
  CHECK(cores_of_quota("1000 100000") == 1u);
  CHECK(cores_of_quota("max 100000") == std::nullopt);
  CHECK(cores_of_quota("") == std::nullopt);
  CHECK(cores_of_quota("-5 100000") == std::nullopt);
  CHECK(cores_of_quota("200000 0") == std::nullopt);
  CHECK(cores_of_quota("lots 100000") == std::nullopt);
}

TEST_CASE("the affinity mask bounds the usable cores and sizes the scheduler") {
  cpu_set_t before;
  REQUIRE(sched_getaffinity(0, sizeof before, &before) == 0);
  CHECK(usable_cores() >= 1u);
  CHECK(usable_cores() <= static_cast<std::size_t>(CPU_COUNT(&before)));
  // Pinned to one of its cores, as `taskset -c N` would.
  cpu_set_t one;
  CPU_ZERO(&one);
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &before)) {
      CPU_SET(cpu, &one);
      break;
    }
  REQUIRE(sched_setaffinity(0, sizeof one, &one) == 0);
  auto pinned = usable_cores();
  std::size_t workers = 0;
  {
    caf::actor_system_config cfg;
    configure_scheduler(cfg);
    CHECK(caf::get_or(cfg, "work-stealing.moderate-poll-attempts", std::size_t{0})
          == psim::actors::moderate_polls);
    caf::actor_system sys{cfg};
    workers = sys.scheduler().num_workers();
  }
  REQUIRE(sched_setaffinity(0, sizeof before, &before) == 0);
  CHECK(pinned == 1u);
  CHECK(workers == 1u); // CAF alone would start max(cores of the machine, 4)
}
