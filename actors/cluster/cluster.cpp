// Spawning and wiring: worker-i -> link -> server-s -> link -> worker-i for every
// server shard s, or a ring of links for allreduce.
#include "actors/cluster/cluster.hpp"

#include "actors/faults/fault_injector.hpp"
#include "actors/messages.hpp"
#include "actors/recorder/recorder.hpp"
#include "actors/registry.hpp"
#include "actors/runtime/runtime.hpp"
#include "actors/runtime/scenario_cache.hpp"
#include "sim/cluster/actor_id.hpp"
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/random/random.hpp"

#include <stdexcept>

namespace psim::actors {

void cluster::start() const {
  // Servers last, so that every link and worker knows the recorder before traffic.
  // One message shared by all: a million workers' actors each get only a mailbox element.
  auto start = caf::make_message(start_atom::value, recorder);
  caf::anon_send(recorder, start);
  for (const auto* group : {&links, &workers, &servers})
    for (const auto& a : *group)
      caf::anon_send(a, start);
  caf::anon_send(injector, start_atom::value, recorder);
}

void cluster::stop() const {
  auto stop = caf::make_message(stop_atom::value, recorder); // shared, as in start()
  for (const auto* group : {&workers, &servers, &links})
    for (const auto& a : *group)
      caf::anon_send(a, stop);
  caf::anon_send(injector, stop_atom::value, recorder);
}

void cluster::kill() const {
  kill_all_but_recorder();
  caf::anon_send_exit(recorder, caf::exit_reason::kill);
}

void cluster::kill_all_but_recorder() const {
  // From the recorder, not anonymous: a node obeys exits from its coordinator's process only.
  auto kill_msg = caf::make_message(caf::exit_msg{recorder.address(), caf::exit_reason::kill});
  // Servers first: ended, they get no down message for each worker that ends after them.
  for (const auto* group : {&servers, &workers, &links})
    for (const auto& a : *group)
      caf::send_as<caf::message_priority::high>(recorder, a, kill_msg);
  caf::anon_send_exit(injector, caf::exit_reason::kill);
}

bool stop_came(run_control& control) {
  control.check_outside(run_interrupted());
  return control.stop_requested();
}

void stop_if_asked(run_control& control, std::size_t placed) {
  if (placed % stop_check_every == 0 && stop_came(control))
    throw spawn_stopped{};
}

namespace {

using sim::actor_id;
using sim::link_id;

// Gives the fault injector every actor by name.
void spawn_injector(caf::actor_system& sys, const sim::scenario& scn, cluster& c,
                    const std::vector<link_id>& link_ids) {
  c.injector = sys.spawn(fault_injector, scn.resolved);
  directory d;
  if (scn.faults.empty() && !scn.availability.any()) {
    // Nothing to reach: no name and handle per actor held all run long.
    caf::anon_send(c.injector, std::move(d));
    return;
  }
  for (std::uint32_t i = 0; i < c.workers.size(); ++i) {
    d.names.push_back(to_string(actor_id::worker(i)));
    d.handles.push_back(c.workers[i]);
  }
  for (std::uint32_t i = 0; i < c.servers.size(); ++i) {
    d.names.push_back(to_string(actor_id::server(i)));
    d.handles.push_back(c.servers[i]);
  }
  for (std::size_t i = 0; i < c.links.size(); ++i) {
    d.names.push_back(to_string(link_ids[i]));
    d.handles.push_back(c.links[i]);
  }
  caf::anon_send(c.injector, std::move(d));
}

// Places the link `id`, forwarding to `destination`.
caf::actor place_link(const sim::scenario& scn, const actor_placer& place, link_id id,
                      std::uint32_t number, const caf::actor& destination) {
  auto link = place(to_string(id), "network_link",
                    actor_config{number, to_string(id.from), to_string(id.to), scn.resolved});
  caf::anon_send(link, wiring{{destination}, {}});
  return link;
}

// allreduce: no server; worker-i sends to worker-(i+1) over its own link.
void wire_ring(const sim::scenario& scn, cluster& c, const actor_placer& place,
               std::vector<link_id>& link_ids) {
  auto workers = static_cast<std::uint32_t>(scn.cluster.workers);
  for (std::uint32_t i = 0; i < workers; ++i)
    c.workers.push_back(place(to_string(actor_id::worker(i)), "worker",
                              actor_config{i, "", "", scn.resolved}));
  for (std::uint32_t i = 0; i < workers; ++i) {
    auto next = (i + 1) % workers;
    link_id id{actor_id::worker(i), actor_id::worker(next)};
    auto link = place_link(scn, place, id, i, c.workers[next]);
    caf::anon_send(c.workers[i], wiring{{link}, {}});
    c.links.push_back(link);
    link_ids.push_back(id);
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

// One link each way between every worker and every server shard. Worker i is placed
// just before its links: in a big run the memory an update touches (a worker and its
// two links) then lies together, on a few pages, instead of a run's length apart.
void wire_servers(const sim::scenario& scn, cluster& c, const actor_placer& place,
                  const uplink_filter& filter, std::vector<link_id>& link_ids) {
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
    c.servers.push_back(place(to_string(actor_id::server(s)), "parameter_server", std::move(config)));
  }
  std::vector<std::vector<caf::actor>> downlinks(shards);
  for (std::uint32_t i = 0; i < workers; ++i) {
    c.workers.push_back(place(to_string(actor_id::worker(i)), "worker",
                              actor_config{i, "", "", scn.resolved}));
    auto worker = actor_id::worker(i);
    std::vector<caf::actor> uplinks;
    for (std::uint32_t s = 0; s < shards; ++s) {
      auto server = actor_id::server(s);
      // Each link is kept as soon as it is placed: a stop at the next placement ends it.
      auto up = place_link(scn, place, {worker, server}, 0, c.servers[s]);
      c.links.push_back(up);
      link_ids.push_back({worker, server});
      auto down = place_link(scn, place, {server, worker}, 0, c.workers[i]);
      c.links.push_back(down);
      link_ids.push_back({server, worker});
      uplinks.push_back(filter ? filter(i, s, up) : up);
      downlinks[s].push_back(down);
    }
    caf::anon_send(c.workers[i], wiring{std::move(uplinks), {}});
  }
  for (std::uint32_t s = 0; s < shards; ++s)
    caf::anon_send(c.servers[s], wiring{std::move(downlinks[s]), c.workers});
}

} // namespace

caf::actor spawn_local(caf::actor_system& sys, const std::string& type, actor_config config) {
  auto spawned = spawn_by_type(sys, type, std::move(config));
  if (!spawned)
    throw std::invalid_argument(sys.render(spawned.error()));
  return std::move(*spawned);
}

std::size_t placed_actors(const sim::scenario& scn) {
  auto workers = scn.cluster.workers;
  auto shards = scn.cluster.servers;
  // allreduce: every worker and its link to the next; else every worker, server and link.
  if (scn.training.mode == sim::mode_kind::allreduce)
    return 2 * workers;
  return workers + shards + 2 * workers * shards;
}

std::size_t expected_reports(const sim::scenario& scn) {
  // Every placed actor's, the injector's, and in allreduce worker 0's record of the replica.
  return placed_actors(scn) + 1 + (scn.training.mode == sim::mode_kind::allreduce ? 1 : 0);
}

cluster wire_cluster(caf::actor_system& sys, const sim::scenario& scn, caf::actor recorder,
                     const actor_placer& place, const uplink_filter& filter) {
  cluster c;
  c.recorder = std::move(recorder);
  std::vector<link_id> link_ids;
  try {
    if (scn.training.mode == sim::mode_kind::allreduce)
      wire_ring(scn, c, place, link_ids);
    else
      wire_servers(scn, c, place, filter, link_ids);
  } catch (const spawn_stopped&) {
    c.kill_all_but_recorder();
    cluster left;
    left.recorder = std::move(c.recorder);
    left.stopped_while_spawning = true;
    return left;
  } catch (...) {
    c.kill(); // what was spawned before a placement failed
    throw;
  }
  spawn_injector(sys, scn, c, link_ids);
  return c;
}

cluster spawn_cluster(caf::actor_system& sys, const sim::scenario& scn,
                      std::shared_ptr<run_control> control, const std::string& out_dir,
                      const std::function<void(std::size_t)>& set_up) {
  auto rec = sys.spawn(recorder, control, scn.resolved, out_dir,
                       expected_reports(scn));
  // Every actor here reads the same parsed scenario: each carries a short key to it.
  auto key = local_scenario_key(scn.resolved);
  std::size_t placed = 0;
  auto local = [&sys, &control, &placed, &set_up, key](
                 const std::string&, const std::string& type, actor_config config) {
    // The first look before any actor: a stop that came while the data loaded.
    stop_if_asked(*control, placed++);
    config.scenario = key;
    auto spawned = spawn_local(sys, type, std::move(config));
    if (set_up)
      set_up(placed);
    return spawned;
  };
  return wire_cluster(sys, scn, std::move(rec), local);
}

} // namespace psim::actors
