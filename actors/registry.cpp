// Registration of every message type and spawnable actor type, identical on all nodes.
#include "actors/messages.hpp"
#include "actors/link/network_link.hpp"
#include "actors/server/parameter_server.hpp"
#include "actors/worker/worker.hpp"

namespace psim::actors {

void register_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<std::vector<double>>("std::vector<double>");
  cfg.add_message_type<std::vector<std::uint64_t>>("std::vector<uint64_t>");
  cfg.add_message_type<std::vector<caf::actor>>("std::vector<actor>");
  cfg.add_message_type<gradient_msg>("gradient_msg");
  cfg.add_message_type<params_msg>("params_msg");
  cfg.add_message_type<chunk_msg>("chunk_msg");
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
  // add_actor_type would also register the typed handle as a message type "worker".
  cfg.add_actor_factory("worker", caf::make_actor_factory(worker));
  cfg.add_actor_type("parameter_server", parameter_server);
  cfg.add_actor_type("network_link", network_link);
}

} // namespace psim::actors
