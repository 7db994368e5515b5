// Spawning and wiring: worker-i -> link -> server-s -> link -> worker-i for every
// server shard s, or a ring of links for allreduce.
#include "actors/cluster/cluster.hpp"

#include "actors/faults/fault_injector.hpp"
#include "actors/messages.hpp"
#include "actors/link/network_link.hpp"
#include "actors/server/parameter_server.hpp"
#include "actors/recorder/recorder.hpp"
#include "actors/worker/worker.hpp"
#include "sim/model/model.hpp"
#include "sim/random/random.hpp"

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
void wire_ring(const sim::scenario& scn, cluster& c, const actor_placer& place,
               std::vector<std::string>& link_names) {
  auto workers = static_cast<std::uint32_t>(scn.cluster.workers);
  for (std::uint32_t i = 0; i < workers; ++i)
    c.workers.push_back(place(worker_name(i), "worker", actor_config{i, "", "", scn.resolved}));
  for (std::uint32_t i = 0; i < workers; ++i) {
    auto next = (i + 1) % workers;
    auto name = worker_name(i) + "->" + worker_name(next);
    auto link = place(name, "network_link",
                      actor_config{i, worker_name(i), worker_name(next), scn.resolved});
    caf::anon_send(link, wiring{{c.workers[next]}, {}});
    caf::anon_send(c.workers[i], wiring{{link}, {}});
    c.links.push_back(link);
    link_names.push_back(name);
  }
}

// The model's initial parameters, drawn once from the "init" stream: the coordinator
// hands each server its range, so that no server loads the data set.
sim::vector initial_parameters(const sim::scenario& scn) {
  auto data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  auto model = sim::make_model(scn.model, data->train.features());
  sim::random_stream init{scn.seed, "init"};
  return model->initial_parameters(init);
}

// One link each way between every worker and every server shard.
void wire_servers(const sim::scenario& scn, cluster& c, const actor_placer& place,
                  const uplink_filter& filter, std::vector<std::string>& link_names) {
  auto workers = static_cast<std::uint32_t>(scn.cluster.workers);
  auto shards = static_cast<std::uint32_t>(scn.cluster.servers);
  auto initial = initial_parameters(scn);
  auto params = static_cast<std::size_t>(initial.size());
  for (std::uint32_t s = 0; s < shards; ++s) {
    // Shard s holds the s-th of S contiguous, balanced key ranges.
    auto begin = initial.data() + s * params / shards;
    auto end = initial.data() + (s + 1) * params / shards;
    actor_config config{s, "", "", scn.resolved};
    config.initial_parameters.assign(begin, end);
    c.servers.push_back(place(server_name(s), "parameter_server", std::move(config)));
  }
  for (std::uint32_t i = 0; i < workers; ++i)
    c.workers.push_back(place(worker_name(i), "worker", actor_config{i, "", "", scn.resolved}));
  std::vector<std::vector<caf::actor>> downlinks(shards);
  for (std::uint32_t i = 0; i < workers; ++i) {
    auto name = worker_name(i);
    std::vector<caf::actor> uplinks;
    for (std::uint32_t s = 0; s < shards; ++s) {
      auto server = server_name(s);
      auto up = place(name + "->" + server, "network_link",
                      actor_config{0, name, server, scn.resolved});
      auto down = place(server + "->" + name, "network_link",
                        actor_config{0, server, name, scn.resolved});
      caf::anon_send(up, wiring{{c.servers[s]}, {}});
      caf::anon_send(down, wiring{{c.workers[i]}, {}});
      uplinks.push_back(filter ? filter(i, s, up) : up);
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
}

} // namespace

caf::actor spawn_local(caf::actor_system& sys, const std::string& type, actor_config config) {
  if (type == "worker")
    return caf::actor_cast<caf::actor>(sys.spawn(worker, std::move(config)));
  if (type == "parameter_server")
    return sys.spawn(parameter_server, std::move(config));
  return sys.spawn(network_link, std::move(config));
}

std::size_t expected_reports(const sim::scenario& scn) {
  auto workers = scn.cluster.workers;
  auto shards = scn.cluster.servers;
  // allreduce: every worker and link, and worker 0's record of the replica; else every
  // worker, server and link; then the injector's.
  if (scn.training.mode == sim::mode_kind::allreduce)
    return 2 * workers + 2;
  return workers + shards + 2 * workers * shards + 1;
}

cluster wire_cluster(caf::actor_system& sys, const sim::scenario& scn, caf::actor recorder,
                     const actor_placer& place, const uplink_filter& filter) {
  cluster c;
  c.recorder = std::move(recorder);
  std::vector<std::string> link_names;
  try {
    if (scn.training.mode == sim::mode_kind::allreduce)
      wire_ring(scn, c, place, link_names);
    else
      wire_servers(scn, c, place, filter, link_names);
  } catch (...) {
    c.kill(); // what was spawned before a placement failed
    throw;
  }
  spawn_injector(sys, scn, c, link_names);
  return c;
}

cluster spawn_cluster(caf::actor_system& sys, const sim::scenario& scn,
                      std::shared_ptr<run_control> control, const std::string& out_dir) {
  auto rec = sys.spawn(recorder, std::move(control), scn.resolved, out_dir,
                       expected_reports(scn));
  auto local = [&sys](const std::string&, const std::string& type, actor_config config) {
    return spawn_local(sys, type, std::move(config));
  };
  return wire_cluster(sys, scn, std::move(rec), local);
}

} // namespace psim::actors
