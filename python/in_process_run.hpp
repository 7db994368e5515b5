// What the Python module does around actors::run_scenario: validating a scenario as
// `psim check` does, preparing the run folder as `psim run` does, and running while the
// calling thread, without the GIL, watches for Python's signals (Ctrl-C).
#pragma once

#include "actors/runtime/runtime.hpp"
#include "sim/scenario/scenario.hpp"

#include <pybind11/pybind11.h>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace psim::python {

/// A data or model error with where it was found, as `psim check` reports it.
struct located_data_error : std::runtime_error {
  /// Creates the error; the fields are those `psim check` prints.
  located_data_error(std::string file_, int line_, int column_, std::string key_,
                     const std::string& message);
  std::string file; ///< the file at fault
  int line;         ///< 1-based line, 0 when unknown
  int column;       ///< 1-based column, 0 when unknown
  std::string key;  ///< the scenario key at fault ("" when none)
};

/// Loads `scenario` (a path, or TOML text when `is_text`) with `overrides` and checks its
/// data and model as `psim check` does; throws sim::scenario_error or located_data_error.
sim::scenario load_validated(const std::string& scenario, bool is_text,
                             const std::vector<std::string>& overrides);

/// Creates `dir`, removes the outputs of an earlier run, writes scenario.toml (as `psim run`).
void prepare_run_folder(const std::string& dir, const std::string& resolved);

/// How a run watched from Python ended.
struct watched_run {
  actors::run_outcome outcome;                       ///< the runtime's outcome
  std::optional<pybind11::error_already_set> python_error; ///< what a signal handler raised
};

/// Runs `scn` into `out_dir` on another thread with the GIL released; the calling thread
/// runs Python's signal handlers every few milliseconds and interrupts the run when one
/// raises (KeyboardInterrupt). Must be called with the GIL held.
watched_run run_watching_signals(const sim::scenario& scn, const std::string& out_dir,
                                 bool progress);

} // namespace psim::python
