// Registration of every message type, identical on all nodes, and the one table of
// actor types spawnable by name.
#include "actors/registry.hpp"

#include "actors/link/network_link.hpp"
#include "actors/remote/exit_filter.hpp"
#include "actors/remote/node.hpp"
#include "actors/server/parameter_server.hpp"
#include "actors/worker/worker.hpp"

#include <functional>
#include <type_traits>
#include <utility>
#include <vector>

namespace psim::actors {

void register_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<std::vector<double>>("std::vector<double>");
  cfg.add_message_type<std::vector<std::uint64_t>>("std::vector<uint64_t>");
  cfg.add_message_type<std::vector<caf::actor>>("std::vector<actor>");
  cfg.add_message_type<gradient_msg>("gradient_msg");
  cfg.add_message_type<params_msg>("params_msg");
  cfg.add_message_type<chunk_msg>("chunk_msg");
  cfg.add_message_type<hop_stamp>("hop_stamp");
  cfg.add_message_type<event_msg>("event_msg");
  cfg.add_message_type<metrics_point>("metrics_point");
  cfg.add_message_type<worker_report>("worker_report");
  cfg.add_message_type<server_report>("server_report");
  cfg.add_message_type<link_report>("link_report");
  cfg.add_message_type<wiring>("wiring");
  cfg.add_message_type<join_msg>("join_msg");
  cfg.add_message_type<fault_record>("fault_record");
  cfg.add_message_type<std::vector<fault_record>>("std::vector<fault_record>");
  cfg.add_message_type<injector_report>("injector_report");
  cfg.add_message_type<directory>("directory");
  cfg.add_message_type<std::vector<std::string>>("std::vector<std::string>");
  cfg.add_message_type<actor_config>("actor_config");
  cfg.add_message_type<effect_msg>("effect_msg");
}

caf::expected<caf::actor> spawn_by_type(caf::actor_system& sys, const std::string& type,
                                        actor_config config, const caf::node_id& coordinator) {
  using spawner = std::function<caf::actor(caf::actor_system&, actor_config, caf::node_id)>;
  // On a node (a coordinator given), exits from strangers never reach the actor.
  static const std::vector<std::pair<std::string, spawner>> table{
    {"worker",
     [](caf::actor_system& s, actor_config c, caf::node_id n) {
       return spawn_filtered<std::remove_pointer_t<worker_self>>(
         s, n, [c](worker_self self) { return worker(self, c); });
     }},
    {"parameter_server",
     [](caf::actor_system& s, actor_config c, caf::node_id n) {
       return spawn_filtered<server_actor>(
         s, n, [c](server_actor* self) { return parameter_server(self, c); });
     }},
    {"network_link",
     [](caf::actor_system& s, actor_config c, caf::node_id n) {
       using link_self = caf::stateful_actor<network_link_state>;
       return spawn_filtered<link_self>(
         s, n, [c](link_self* self) { return network_link(self, c); });
     }},
  };
  for (const auto& [name, spawn] : table)
    if (name == type)
      return spawn(sys, std::move(config), coordinator);
  return caf::make_error(caf::sec::invalid_argument, "unknown actor type " + type);
}

} // namespace psim::actors
