// The one slot psim_remote fills: plain data, constant-initialized, so that an
// installer running among static initializers finds it ready.
#include "actors/runtime/remoting_hooks.hpp"
#include "actors/remote/remote_cluster.hpp"

namespace psim::actors {

namespace {

remoting_hooks installed_hooks; // empty (spawn null) until installed

} // namespace

void install_remoting_hooks(const remoting_hooks& hooks) {
  installed_hooks = hooks;
}

const remoting_hooks* installed_remoting() {
  return installed_hooks.spawn != nullptr ? &installed_hooks : nullptr;
}

const remoting_hooks* required_remoting() {
  if (installed_remoting() == nullptr)
    throw deployment_error("a run with [deployment] needs psim's remoting, which this program "
                           "was built without (the psim command line hands such runs to "
                           "psim-remote)");
  return &installed_hooks;
}

} // namespace psim::actors
