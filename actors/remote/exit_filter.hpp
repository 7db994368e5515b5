// The actors a psim node spawns for a run (workers, servers, links) drop exit messages
// from strangers before CAF sees them: in CAF 0.17 an exit_reason::kill ends an actor
// whatever its exit handler says, so only a filter in front of the mailbox can refuse it.
#pragma once

#include <caf/all.hpp>

#include <functional>
#include <utility>

namespace psim::actors {

/// True when `x` is an exit message whose sender is in neither `self`'s process nor the
/// `coordinator`'s (anonymous ones included); says on stderr that it is ignored.
bool foreign_exit(caf::mailbox_element& x, const caf::node_id& self,
                  const caf::node_id& coordinator);

/// An actor of type `Self` (a stateful actor) whose mailbox refuses foreign exits
/// (foreign_exit); its behavior comes from the function it is spawned with.
template <class Self>
class foreign_exits_dropped : public Self {
public:
  /// The behavior type of `Self`.
  using behavior_type = typename Self::behavior_type;

  /// Makes the actor; `init` gives its behavior, `coordinator` is the admitted one.
  foreign_exits_dropped(caf::actor_config& cfg, caf::node_id coordinator,
                        std::function<behavior_type(Self*)> init)
    : Self(cfg), coordinator_(std::move(coordinator)), init_(std::move(init)) {
  }

  /// Drops `ptr` if it is a foreign exit; otherwise delivers it as usual.
  void enqueue(caf::mailbox_element_ptr ptr, caf::execution_unit* host) override {
    if (!foreign_exit(*ptr, this->node(), coordinator_))
      Self::enqueue(std::move(ptr), host);
  }

  /// The behavior from `init`.
  behavior_type make_behavior() override {
    return init_(this);
  }

private:
  caf::node_id coordinator_;
  std::function<behavior_type(Self*)> init_;
};

/// Spawns `init`'s actor of type `Self` in `sys`: behind the filter when it runs on a
/// node for `coordinator`, as a plain actor when `coordinator` is none (a local run).
template <class Self, class Init>
caf::actor spawn_filtered(caf::actor_system& sys, const caf::node_id& coordinator, Init init) {
  if (coordinator == caf::node_id{})
    return caf::actor_cast<caf::actor>(sys.spawn([init](Self* self) { return init(self); }));
  using behavior_type = typename Self::behavior_type;
  return caf::actor_cast<caf::actor>(sys.spawn<foreign_exits_dropped<Self>>(
    coordinator, std::function<behavior_type(Self*)>{init}));
}

} // namespace psim::actors
