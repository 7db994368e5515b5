// psim node in the psim command line: psim-remote runs it (remote_handover.hpp says why).
#include "tools/cli/commands.hpp"
#include "tools/cli/remote_handover.hpp"

namespace psim::cli {

int node_command(const node_args&) {
  return hand_over_to_remote();
}

} // namespace psim::cli
