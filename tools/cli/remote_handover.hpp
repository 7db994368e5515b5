// Runs across psim nodes need psim_remote (libcaf_io, libcaf_openssl, libcrypto), which
// the psim command line leaves out so that every other run starts without loading them.
// psim hands `psim node` and runs with [deployment] to psim-remote, installed beside it:
// the same command line with psim_remote linked (tools/CMakeLists.txt).
#pragma once

namespace psim::cli {

/// Replaces this process with psim-remote beside it, given the same arguments; returns
/// an exit code only when that fails, after saying why.
int hand_over_to_remote();

} // namespace psim::cli
