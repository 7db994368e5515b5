// Placing the actors of a run on psim nodes, wiring them as cluster.cpp does, and
// watching the remote ones: a node lost mid-run makes its actors count as crashed.
#include "actors/remote/remote_cluster.hpp"

#include "actors/messages.hpp"
#include "actors/recorder/recorder.hpp"
#include "actors/remote/handshake.hpp"
#include "actors/remote/node.hpp"
#include "sim/cluster/actor_id.hpp"

#include <caf/io/middleman.hpp>
#include <caf/openssl/remote_actor.hpp>
#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <map>
#include <set>

namespace psim::actors {

namespace {

// Time a node may take to answer the handshake or to spawn one actor (a worker loads
// its data set first).
constexpr auto handshake_timeout = std::chrono::seconds(10);
constexpr auto spawn_timeout = std::chrono::seconds(60);

/// What reached the coordinator from one remote worker: enough to stand in for its
/// report if its node is lost (its own counters are lost with it).
struct push_tally {
  std::atomic<std::uint64_t> highest{0};   ///< highest push number seen
  std::atomic<std::uint64_t> gradients{0}; ///< gradients those pushes carried
};

using tallies = std::vector<std::shared_ptr<push_tally>>;

// Stands between a remote worker and its local uplink, counting its pushes; ends with
// `owner`.
caf::behavior push_relay(caf::event_based_actor* self, caf::actor uplink,
                         std::shared_ptr<push_tally> tally, const caf::actor& owner) {
  self->link_to(owner);
  return {
    [=](gradient_msg& g) {
      if (g.seq > tally->highest) {
        tally->highest = g.seq;
        tally->gradients += g.gradients;
      }
      self->send(uplink, std::move(g));
    },
    [=](join_msg& j) { self->send(uplink, std::move(j)); },
  };
}

/// What the node watch holds: the remote actors by address, with name and node.
struct node_watch_state {
  std::shared_ptr<run_control> control;  ///< to stop a run that cannot go on
  caf::actor recorder;                   ///< receives the reports of lost actors
  std::map<caf::actor_addr, std::pair<std::string, std::string>> remote; ///< name, node
  std::set<std::string> lost_nodes;      ///< nodes already reported lost
  tallies pushes;                        ///< per worker: its pushes seen here

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "node_watch";
};

using node_watch_actor = caf::stateful_actor<node_watch_state>;

// True when the message being handled comes from this process.
bool local_sender(node_watch_actor* self) {
  const auto& sender = self->current_sender();
  return sender != nullptr && sender->node() == self->node();
}

// A remote actor's node is gone: report for it as a crashed actor would.
void on_lost(node_watch_actor* self, const std::string& name, const std::string& node) {
  auto& st = self->state;
  if (st.lost_nodes.insert(node).second)
    fmt::print(stderr, "psim: node {} lost; its actors count as crashed\n", node);
  auto actor = sim::parse_actor_id(name);
  if (!actor) {
    link_report r;
    r.name = name;
    self->send(st.recorder, r);
  } else if (actor->is_worker()) {
    worker_report r;
    r.id = actor->index;
    r.crashes = 1;
    r.node = node;
    // What the coordinator saw of it; gradients under way on the node are not counted
    // as computed, so the gradient counters still add up.
    const auto& tally = *st.pushes.at(r.id);
    r.pushes = tally.highest;
    r.pushed = tally.gradients;
    r.computed = r.pushed;
    self->send(st.recorder, r);
  } else {
    st.control->request_stop(sim::stop_reason::stalled, fmt::format("node {} was lost with {}", node, name));
    self->send(st.recorder, server_report{});
  }
}

// The owner of a run's remote actors: the nodes end them when it ends (it is linked to
// the recorder, which cluster::kill ends); it notices their loss.
caf::behavior node_watch(node_watch_actor* self, std::shared_ptr<run_control> control,
                         tallies pushes) {
  self->state.control = std::move(control);
  self->state.pushes = std::move(pushes);
  // Its handle goes to the nodes: only this process may end it (through the recorder).
  ignore_foreign_exits(self, caf::node_id{});
  self->set_down_handler([=](caf::down_msg& msg) {
    auto it = self->state.remote.find(msg.source);
    if (it == self->state.remote.end())
      return;
    auto [name, node] = it->second;
    self->state.remote.erase(it);
    // An injected crash ends a worker with user_shutdown (and it reports itself); any
    // other end during the run is its node's: lost connection, node stopped, or failure.
    if (msg.reason != caf::exit_reason::user_shutdown)
      on_lost(self, name, node);
  });
  return {
    [=](directory& d, std::vector<std::string>& nodes) {
      if (!local_sender(self))
        return;
      for (std::size_t i = 0; i < d.handles.size(); ++i) {
        self->monitor(d.handles[i]);
        self->state.remote[d.handles[i].address()] = {d.names[i], nodes[i]};
      }
    },
    [=](caf::actor& recorder) {
      if (!local_sender(self))
        return;
      self->state.recorder = recorder;
      self->link_to(recorder);
    },
  };
}

// Spawns each actor where the placement puts it.
struct placer {
  caf::actor_system& sys;
  const sim::scenario& scn;
  std::vector<caf::actor> nodes;      // node actors, as deployment.nodes
  caf::actor owner;                   // the node watch
  tallies pushes;                     // per worker: its pushes seen here
  directory remote;                   // the actors spawned on nodes
  std::vector<std::string> remote_at; // the node of each
  std::shared_ptr<run_control> control;
  std::size_t placed = 0;

  caf::actor place(const std::string& name, const std::string& type, actor_config config) {
    // As for a local run: a stop (Ctrl-C, the wall clock) ends the spawning.
    stop_if_asked(*control, placed++);
    auto index = scn.deployment.node_of(name);
    if (!index)
      return spawn_local(sys, type, std::move(config));
    const auto& address = scn.deployment.nodes[*index];
    config.node = address;
    caf::actor result;
    std::string failure;
    caf::scoped_actor self{sys};
    self->request(nodes[*index], spawn_timeout, place_atom::value, type, std::move(config))
      .receive([&](caf::actor& a) { result = std::move(a); },
               [&](caf::error& e) { failure = error_text(sys, e); });
    if (!result)
      throw deployment_error(fmt::format("node {} could not spawn {}: {}", address, name,
                                         failure));
    remote.names.push_back(name);
    remote.handles.push_back(result);
    remote_at.push_back(address);
    return result;
  }
};

} // namespace

namespace {

// The words for a failed connection: which side to check, and what.
std::string connect_failure(caf::actor_system& sys, const caf::error& e, bool tls) {
  auto text = sys.render(e);
  if (text.find("disconnect_during_handshake") != std::string::npos
      || text.find("ssl") != std::string::npos)
    return tls ? "the TLS handshake failed: check that --tls-ca is the CA that signed the "
                 "node's certificate (and the node's --tls-ca the one that signed ours), that "
                 "--tls-key is the key of --tls-cert, and that the node runs with TLS"
               : "the node closed the connection during CAF's handshake: does it run with "
                 "TLS (then pass --tls-cert, --tls-key and --tls-ca)?";
  if (text.find("cannot_connect_to_node") != std::string::npos)
    return "nothing answers there: is `psim node` running on that host and port, and does "
           "a firewall let the connection through? (" + text + ")";
  return text;
}

// The two steps of the handshake from `self`: a nonce, then its HMAC under `secret`.
caf::expected<caf::actor> handshake(caf::scoped_actor& self,
                                    const caf::actor& node, const std::string& secret,
                                    const caf::actor& owner) {
  std::string nonce;
  caf::error failure;
  self->request(node, handshake_timeout, hello_atom::value, std::string{PSIM_VERSION})
    .receive([&](std::string& n) { nonce = std::move(n); },
             [&](caf::error& e) { failure = std::move(e); });
  if (failure)
    return failure;
  auto run_id = random_hex(16);
  auto answer = handshake_answer(secret, nonce, PSIM_VERSION, run_id);
  caf::actor gate;
  self->request(node, handshake_timeout, answer_atom::value, nonce, run_id, answer, owner)
    .receive([&](caf::actor& g) { gate = std::move(g); },
             [&](caf::error& e) { failure = std::move(e); });
  if (failure)
    return failure;
  return gate;
}

} // namespace

caf::actor connect_node(caf::actor_system& sys, const std::string& address,
                        const std::string& secret, const std::string& what, bool tls,
                        const caf::actor& owner) {
  auto where = sim::parse_node_address(address);
  if (!where)
    throw deployment_error(fmt::format("{}: \"{}\" is not host:port", what, address));
  auto node = tls ? caf::openssl::remote_actor(sys, where->host, where->port)
                  : sys.middleman().remote_actor(where->host, where->port);
  if (!node)
    throw deployment_error(fmt::format("{}: cannot connect to the psim node at {}: {}", what,
                                       address, connect_failure(sys, node.error(), tls)));
  caf::scoped_actor self{sys};
  auto gate = handshake(self, *node, secret, owner);
  if (!gate)
    throw deployment_error(fmt::format("{}: the psim node at {} refused this coordinator: {}",
                                       what, address, error_text(sys, gate.error())));
  return *gate;
}

cluster spawn_remote_cluster(caf::actor_system& sys, const sim::scenario& scn,
                             std::shared_ptr<run_control> control, const std::string& out_dir,
                             const run_options& options) {
  const auto& nodes = scn.deployment.nodes;
  placer p{sys, scn, {}, {}, {}, {}, {}, control};
  for (std::size_t i = 0; i < scn.cluster.workers; ++i)
    p.pushes.push_back(std::make_shared<push_tally>());
  // The run's owner on the nodes: they end its actors when it ends.
  p.owner = sys.spawn(node_watch, control, p.pushes);
  caf::scoped_actor self{sys};
  // Every node passes the handshake before anything is spawned anywhere.
  try {
    for (std::size_t i = 0; i < nodes.size(); ++i)
      p.nodes.push_back(connect_node(sys, nodes[i], options.secret,
                                     fmt::format("deployment.nodes[{}]", i),
                                     options.tls.enabled(), p.owner));
  } catch (const deployment_error&) {
    self->send_exit(p.owner, caf::exit_reason::kill);
    throw;
  }
  auto rec = sys.spawn(recorder, control, scn.resolved, out_dir, expected_reports(scn));
  self->send(p.owner, rec);
  auto place = [&p](const std::string& name, const std::string& type, actor_config config) {
    return p.place(name, type, std::move(config));
  };
  // A remote worker pushes to its local uplinks through a relay that counts.
  auto relay = [&p, &scn](std::uint32_t w, std::uint32_t s, caf::actor uplink) {
    auto worker = sim::actor_id::worker(w);
    if (!scn.deployment.node_of(to_string(worker))
        || scn.deployment.node_of(to_string(sim::link_id{worker, sim::actor_id::server(s)})))
      return uplink;
    return p.sys.spawn(push_relay, std::move(uplink),
                       s == 0 ? p.pushes[w] : std::make_shared<push_tally>(), p.owner);
  };
  auto c = wire_cluster(sys, scn, rec, place, relay);
  self->send(p.owner, std::move(p.remote), std::move(p.remote_at));
  return c;
}

} // namespace psim::actors
