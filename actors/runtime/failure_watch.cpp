// The failure watch and the exception guard of psim's actors.
#include "actors/runtime/failure_watch.hpp"

#include <algorithm>
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
  // The watched actors' addresses in watch order: a word each, searched only when one
  // fails without naming itself (a guarded actor names itself; no name is kept per actor).
  std::vector<caf::actor_addr> watched;
  static inline const char* name = "failure_watch";
};

caf::behavior failure_watch(caf::stateful_actor<watch_state>* self,
                            std::shared_ptr<run_control> control,
                            std::vector<caf::actor> watched, watched_name name_of) {
  auto& addresses = self->state.watched;
  addresses.reserve(watched.size());
  for (auto& actor : watched) {
    addresses.push_back(actor.address());
    self->monitor(actor);
  }
  watched = {};
  self->set_down_handler([=](caf::down_msg& msg) {
    auto message = failure_message(msg.reason);
    if (message.empty())
      return;
    const auto& all = self->state.watched;
    auto it = std::find(all.begin(), all.end(), msg.source);
    // A guarded actor names itself in the message; another one is named here.
    if (it != all.end() && !names_itself(msg.reason))
      message = name_of(static_cast<std::size_t>(it - all.begin())) + ": " + message;
    control->request_stop(sim::stop_reason::failed, message);
  });
  return {[](caf::ok_atom) {}};
}

} // namespace

caf::actor spawn_failure_watch(caf::actor_system& sys, std::shared_ptr<run_control> control,
                               std::vector<caf::actor> watched, watched_name name_of) {
  return sys.spawn(failure_watch, std::move(control), std::move(watched), std::move(name_of));
}

} // namespace psim::actors
