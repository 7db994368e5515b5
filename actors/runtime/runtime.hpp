// Running a scenario to its end under the virtual or the real clock, writing the run
// folder's metrics.csv and summary.json.
#pragma once

#include "actors/runtime/run_control.hpp"
#include "sim/scenario/scenario.hpp"

#include <string>

namespace psim::actors {

/// TLS between coordinator and nodes (libcaf_openssl): all empty = plain TCP.
struct tls_files {
  std::string certificate; ///< this side's certificate (PEM)
  std::string key;         ///< its private key (PEM)
  std::string ca;          ///< CA file that signed the other side's certificate (PEM)

  /// True when TLS is asked for.
  bool enabled() const { return !certificate.empty() || !key.empty() || !ca.empty(); }
};

/// Options of a run besides its scenario.
struct run_options {
  std::string out_dir;   ///< existing folder to write into
  bool progress = false; ///< draw a progress line on stderr
  std::string secret = {}; ///< shared secret of the psim nodes ([deployment] only)
  tls_files tls = {};      ///< TLS to the nodes ([deployment] only)
};

/// Runs `scn` to its first stop condition (or an interrupt) and writes the outputs;
/// the outcome carries the summary written to summary.json.
run_outcome run_scenario(const sim::scenario& scn, const run_options& options);

/// Runs `scn` under CAF's testing scheduler as a discrete-event simulation.
run_outcome run_virtual(const sim::scenario& scn, const run_options& options);

/// Runs `scn` under CAF's threaded scheduler in real time.
run_outcome run_real(const sim::scenario& scn, const run_options& options);

/// Asks the running run to stop as `interrupted` (safe to call from a signal handler).
void interrupt_run();

/// True once interrupt_run() was called.
bool run_interrupted();

/// Clears the interrupt, so that a process that runs many scenarios (the Python module)
/// can run the next one.
void clear_interrupt();

} // namespace psim::actors
