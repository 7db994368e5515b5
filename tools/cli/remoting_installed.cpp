// psim-remote only: psim_remote's hooks installed before main, so that runs with
// [deployment] reach the nodes (in psim they hand over instead: remote_handover.hpp).
#include "actors/remote/remote_cluster.hpp"

namespace {

[[maybe_unused]] const bool remoting_installed = (psim::actors::install_remoting(), true);

} // namespace
