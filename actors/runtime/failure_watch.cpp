// The failure watch and the exception guard of psim's actors.
#include "actors/runtime/failure_watch.hpp"

#include <map>
#include <new>
#include <stdexcept>

namespace psim::actors {

caf::error failure_of(const std::string& name, std::exception_ptr x) {
  std::string what = "an unknown exception";
  try {
    std::rethrow_exception(x);
  } catch (const std::bad_alloc&) {
    what = "out of memory (std::bad_alloc)";
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  // The second string marks the message as naming its actor already.
  return caf::make_error(caf::sec::runtime_error, name + ": " + what, std::string{"named"});
}

// Weak: a test program's own definition replaces this one at link time.
__attribute__((weak)) void throw_if_injected(const std::string&) {
}

bool names_itself(const caf::error& reason) {
  return reason.context().match_elements<std::string, std::string>();
}

std::string failure_message(const caf::error& reason) {
  if (!reason || reason.category() == caf::atom("exit"))
    return {};
  const auto& context = reason.context();
  if (context.match_elements<std::string>() || names_itself(reason))
    return context.get_as<std::string>(0);
  return "ended with error code " + std::to_string(reason.code());
}

namespace {

struct watch_state {
  std::map<caf::actor_addr, std::string> names; ///< the watched actors
  static inline const char* name = "failure_watch";
};

caf::behavior failure_watch(caf::stateful_actor<watch_state>* self,
                            std::shared_ptr<run_control> control,
                            std::vector<std::pair<std::string, caf::actor>> watched) {
  for (auto& [name, actor] : watched) {
    self->state.names.emplace(actor.address(), name);
    self->monitor(actor);
  }
  self->set_down_handler([=](caf::down_msg& msg) {
    auto message = failure_message(msg.reason);
    if (message.empty())
      return;
    auto it = self->state.names.find(msg.source);
    // A guarded actor names itself in the message; another one is named here.
    if (it != self->state.names.end() && !names_itself(msg.reason))
      message = it->second + ": " + message;
    control->request_stop(sim::stop_reason::failed, message);
  });
  return {[](caf::ok_atom) {}};
}

} // namespace

caf::actor spawn_failure_watch(caf::actor_system& sys, std::shared_ptr<run_control> control,
                               std::vector<std::pair<std::string, caf::actor>> watched) {
  return sys.spawn(failure_watch, std::move(control), std::move(watched));
}

} // namespace psim::actors
