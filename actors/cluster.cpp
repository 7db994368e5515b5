// Spawning and wiring: worker-i -> link -> server-s -> link -> worker-i for every
// server shard s, or a ring of links for allreduce.
#include "actors/cluster.hpp"

#include "actors/fault_injector.hpp"
#include "actors/messages.hpp"
#include "actors/network_link.hpp"
#include "actors/parameter_server.hpp"
#include "actors/recorder.hpp"
#include "actors/worker.hpp"

#include <fmt/format.h>

namespace psim::actors {

void cluster::start() const {
  // Servers last, so that every link and worker knows the recorder before traffic.
  caf::anon_send(recorder, start_atom::value, recorder);
  for (const auto* group : {&links, &workers, &servers})
    for (const auto& a : *group)
      caf::anon_send(a, start_atom::value, recorder);
  caf::anon_send(injector, start_atom::value, recorder);
}

void cluster::stop() const {
  for (const auto* group : {&workers, &servers, &links})
    for (const auto& a : *group)
      caf::anon_send(a, stop_atom::value, recorder);
  caf::anon_send(injector, stop_atom::value, recorder);
}

void cluster::kill() const {
  for (const auto* group : {&workers, &servers, &links})
    for (const auto& a : *group)
      caf::anon_send_exit(a, caf::exit_reason::kill);
  caf::anon_send_exit(injector, caf::exit_reason::kill);
  caf::anon_send_exit(recorder, caf::exit_reason::kill);
}

namespace {

// Gives the fault injector every actor by name.
void spawn_injector(caf::actor_system& sys, const sim::scenario& scn, cluster& c,
                    const std::vector<std::string>& link_names) {
  c.injector = sys.spawn(fault_injector, scn.resolved);
  directory d;
  for (std::size_t i = 0; i < c.workers.size(); ++i) {
    d.names.push_back(fmt::format("worker-{}", i));
    d.handles.push_back(c.workers[i]);
  }
  for (std::size_t i = 0; i < c.servers.size(); ++i) {
    d.names.push_back(fmt::format("server-{}", i));
    d.handles.push_back(c.servers[i]);
  }
  for (std::size_t i = 0; i < c.links.size(); ++i) {
    d.names.push_back(link_names[i]);
    d.handles.push_back(c.links[i]);
  }
  caf::anon_send(c.injector, std::move(d));
}

} // namespace

namespace {

// allreduce: no server; worker-i sends to worker-(i+1) over its own link.
cluster spawn_ring(caf::actor_system& sys, const sim::scenario& scn,
                   std::shared_ptr<run_control> control, const std::string& out_dir) {
  cluster c;
  auto workers = static_cast<std::uint32_t>(scn.cluster.workers);
  // Reports: every worker and link, worker 0's record of the replica, the injector.
  auto reports = 2 * workers + 2;
  c.recorder = sys.spawn(recorder, std::move(control), scn.resolved, out_dir, reports);
  for (std::uint32_t i = 0; i < workers; ++i)
    c.workers.push_back(sys.spawn(worker, actor_config{i, "", "", scn.resolved, 0, ""}));
  std::vector<std::string> link_names;
  for (std::uint32_t i = 0; i < workers; ++i) {
    auto next = (i + 1) % workers;
    link_names.push_back(fmt::format("worker-{}->worker-{}", i, next));
    auto link = sys.spawn(network_link, actor_config{i, fmt::format("worker-{}", i),
                                                     fmt::format("worker-{}", next),
                                                     scn.resolved, 0, ""});
    caf::anon_send(link, wiring{{c.workers[next]}, {}});
    caf::anon_send(c.workers[i], wiring{{link}, {}});
    c.links.push_back(link);
  }
  spawn_injector(sys, scn, c, link_names);
  return c;
}

} // namespace

cluster spawn_cluster(caf::actor_system& sys, const sim::scenario& scn,
                      std::shared_ptr<run_control> control, const std::string& out_dir) {
  if (scn.training.mode == sim::mode_kind::allreduce)
    return spawn_ring(sys, scn, std::move(control), out_dir);
  cluster c;
  auto workers = static_cast<std::uint32_t>(scn.cluster.workers);
  auto shards = static_cast<std::uint32_t>(scn.cluster.servers);
  // Reports: every worker, server and link, and the injector.
  auto reports = workers + shards + 2 * workers * shards + 1;
  c.recorder = sys.spawn(recorder, std::move(control), scn.resolved, out_dir, reports);
  for (std::uint32_t s = 0; s < shards; ++s)
    c.servers.push_back(sys.spawn(parameter_server, actor_config{s, "", "", scn.resolved, 0, ""}));
  for (std::uint32_t i = 0; i < workers; ++i)
    c.workers.push_back(sys.spawn(worker, actor_config{i, "", "", scn.resolved, 0, ""}));
  // One link each way between every worker and every server shard.
  std::vector<std::vector<caf::actor>> downlinks(shards);
  std::vector<std::string> link_names;
  for (std::uint32_t i = 0; i < workers; ++i) {
    auto name = fmt::format("worker-{}", i);
    std::vector<caf::actor> uplinks;
    for (std::uint32_t s = 0; s < shards; ++s) {
      auto server = fmt::format("server-{}", s);
      auto up = sys.spawn(network_link, actor_config{0, name, server, scn.resolved, 0, ""});
      auto down = sys.spawn(network_link, actor_config{0, server, name, scn.resolved, 0, ""});
      caf::anon_send(up, wiring{{c.servers[s]}, {}});
      caf::anon_send(down, wiring{{c.workers[i]}, {}});
      uplinks.push_back(up);
      downlinks[s].push_back(down);
      c.links.push_back(up);
      c.links.push_back(down);
      link_names.push_back(name + "->" + server);
      link_names.push_back(server + "->" + name);
    }
    caf::anon_send(c.workers[i], wiring{std::move(uplinks), {}});
  }
  for (std::uint32_t s = 0; s < shards; ++s)
    caf::anon_send(c.servers[s], wiring{std::move(downlinks[s]), c.workers});
  spawn_injector(sys, scn, c, link_names);
  return c;
}

} // namespace psim::actors
