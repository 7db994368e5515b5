// The gate of one admitted run on a node: spawns the run's actors for its coordinator
// only, ends them when the run's owner goes (or the node stops), and lets no stranger's
// exit message stop them.
#include "actors/remote/node.hpp"

#include "actors/registry.hpp"
#include "actors/remote/exit_filter.hpp"

#include <fmt/format.h>

namespace psim::actors {

namespace {

using gate_self = caf::stateful_actor<gate_state, local_exits_only>;

// An actor that answers every message with the message itself.
caf::behavior echo(caf::event_based_actor* self, caf::node_id coordinator) {
  ignore_foreign_exits(self, coordinator);
  self->set_default_handler(caf::reflect);
  return {[](stop_atom) {}};
}

// True when the message being handled comes from the admitted coordinator.
bool from_coordinator(gate_self* self) {
  const auto& sender = self->current_sender();
  return sender != nullptr && sender->node() == self->state.coordinator;
}

// Ends the run's actors with `reason`, then the gate.
void end_run(gate_self* self, caf::exit_reason reason, const char* why) {
  for (const auto& a : self->state.actors)
    self->send_exit(a, reason);
  fmt::print(stderr, "psim node: {}; {} actors stopped\n", why, self->state.actors.size());
  self->state.actors.clear();
  self->quit();
}

} // namespace

void local_exits_only::enqueue(caf::mailbox_element_ptr ptr, caf::execution_unit* host) {
  const auto& from = ptr->sender;
  if (ptr->content().match_elements<caf::exit_msg>()
      && (from == nullptr || from->node() != node())) {
    fmt::print(stderr, "psim node: ignored an exit message from {}\n",
               from != nullptr ? to_string(from->node()) : std::string{"anonymous"});
    return;
  }
  caf::event_based_actor::enqueue(std::move(ptr), host);
}

bool foreign_exit(caf::mailbox_element& x, const caf::node_id& self,
                  const caf::node_id& coordinator) {
  if (!x.content().match_elements<caf::exit_msg>())
    return false;
  const auto& from = x.sender;
  if (from != nullptr && (from->node() == self || from->node() == coordinator))
    return false;
  fmt::print(stderr, "psim node: ignored an exit message from {}\n",
             from != nullptr ? to_string(from->node()) : std::string{"anonymous"});
  return true;
}

void ignore_foreign_exits(caf::scheduled_actor* self, caf::node_id coordinator) {
  self->set_exit_handler([self, coordinator](caf::exit_msg& msg) {
    const auto& sender = self->current_sender();
    bool trusted = sender != nullptr
                   && (sender->node() == self->node() || sender->node() == coordinator);
    if (!trusted) {
      fmt::print(stderr, "psim node: ignored an exit message from {}\n",
                 sender != nullptr ? to_string(sender->node()) : std::string{"anonymous"});
      return;
    }
    if (msg.reason)
      self->quit(msg.reason);
  });
}

caf::behavior gate_actor(gate_self* self, caf::node_id coordinator, caf::actor owner) {
  self->state.coordinator = coordinator;
  self->state.owner = owner;
  self->monitor(owner);
  self->set_down_handler([=](caf::down_msg& msg) {
    if (msg.source == self->state.owner.address())
      end_run(self, caf::exit_reason::kill, "a run ended");
  });
  return {
    // The node stops (Ctrl-C): the coordinator sees these actors end as unreachable.
    [=](stop_atom) {
      const auto& sender = self->current_sender();
      if (sender != nullptr && sender->node() == self->node())
        end_run(self, caf::exit_reason::remote_link_unreachable, "the node stops");
    },
    [=](place_atom, const std::string& type,
        actor_config& config) -> caf::result<caf::actor> {
      if (!from_coordinator(self))
        return caf::make_error(caf::sec::invalid_argument, "not the admitted coordinator");
      auto a = spawn_by_type(self->system(), type, std::move(config), coordinator);
      if (!a)
        return std::move(a.error());
      self->state.actors.push_back(*a);
      return std::move(*a);
    },
    [=](echo_atom) -> caf::result<caf::actor> {
      if (!from_coordinator(self))
        return caf::make_error(caf::sec::invalid_argument, "not the admitted coordinator");
      auto a = self->spawn(echo, coordinator);
      self->state.actors.push_back(a);
      return a;
    },
  };
}

} // namespace psim::actors
