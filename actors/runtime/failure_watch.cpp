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

// The watched actors by address, sorted: a word and a short name each, no tree node.
using watched_names = std::vector<std::pair<caf::actor_addr, std::string>>;

struct watch_state {
  watched_names names; ///< the watched actors
  static inline const char* name = "failure_watch";
};

// The name of the watched actor `addr`, or null.
const std::string* name_of(const watched_names& names, const caf::actor_addr& addr) {
  auto it = std::lower_bound(names.begin(), names.end(), addr,
                             [](const auto& entry, const auto& a) { return entry.first < a; });
  return it != names.end() && it->first == addr ? &it->second : nullptr;
}

caf::behavior failure_watch(caf::stateful_actor<watch_state>* self,
                            std::shared_ptr<run_control> control,
                            std::vector<std::pair<std::string, caf::actor>> watched) {
  auto& names = self->state.names;
  names.reserve(watched.size());
  for (auto& [name, actor] : watched) {
    names.emplace_back(actor.address(), std::move(name));
    self->monitor(actor);
  }
  std::sort(names.begin(), names.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  self->set_down_handler([=](caf::down_msg& msg) {
    auto message = failure_message(msg.reason);
    if (message.empty())
      return;
    auto name = name_of(self->state.names, msg.source);
    // A guarded actor names itself in the message; another one is named here.
    if (name != nullptr && !names_itself(msg.reason))
      message = *name + ": " + message;
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
