// psim._psim: the C++ half of the Python module. Loads and validates scenarios, and runs
// them in-process with the same runtime as `psim run`, without the GIL while a run goes.
// The pure-Python half (python/psim/) turns what it returns into Run objects.
#include "python/in_process_run.hpp"

#include "actors/remote/remote_cluster.hpp"

#include "sim/data/data.hpp"
#include "sim/scenario/scenario.hpp"

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

namespace py = pybind11;

namespace {

// Raises psim.ScenarioError(file, line, column, key, message) from the Python half.
void raise_scenario_error(const std::string& file, int line, int column, const std::string& key,
                          const std::string& message) {
  auto type = py::module_::import("psim._errors").attr("ScenarioError");
  auto error = type(file, line, column, key, message);
  PyErr_SetObject(type.ptr(), error.ptr());
}

// Scenario and data errors become psim.ScenarioError, with what `psim check` prints.
void translate_errors(std::exception_ptr p) {
  try {
    if (p)
      std::rethrow_exception(p);
  } catch (const psim::sim::scenario_error& e) {
    raise_scenario_error(e.file, e.line, e.column, e.key, e.what());
  } catch (const psim::python::located_data_error& e) {
    raise_scenario_error(e.file, e.line, e.column, e.key, e.what());
  }
}

// A short description of a validated scenario, as `psim check` prints it.
py::dict describe(const psim::sim::scenario& scn) {
  py::dict d;
  d["name"] = scn.name;
  d["mode"] = std::string{psim::sim::to_string(scn.training.mode)};
  d["workers"] = scn.cluster.workers;
  d["clock"] = scn.run.clock == psim::sim::clock_kind::virtual_time ? "virtual" : "real";
  d["resolved"] = scn.resolved;
  return d;
}

py::dict check(const std::string& scenario, bool is_text,
               const std::vector<std::string>& overrides) {
  return describe(psim::python::load_validated(scenario, is_text, overrides));
}

py::dict run(const std::string& scenario, bool is_text, const std::vector<std::string>& overrides,
             const std::string& out_dir, bool progress) {
  auto scn = psim::python::load_validated(scenario, is_text, overrides);
  psim::python::prepare_run_folder(out_dir, scn.resolved);
  auto ended = psim::python::run_watching_signals(scn, out_dir, progress);
  py::dict d;
  d["stopped_by"] = std::string{psim::sim::to_string(ended.outcome.stopped_by)};
  d["detail"] = ended.outcome.detail;
  d["error"] = ended.outcome.error;
  d["failed"] = psim::sim::is_failure(ended.outcome.stopped_by);
  // Ctrl-C (or another signal handler's exception): the run stopped as interrupted and
  // wrote its files; the exception goes on to the caller.
  if (ended.python_error)
    throw *ended.python_error;
  return d;
}

} // namespace

PYBIND11_MODULE(_psim, m) {
  m.doc() = "psim's runtime, in-process (use the psim package, not this module)";
  m.attr("version") = PSIM_VERSION;
  psim::actors::install_remoting(); // runs with [deployment] reach their nodes from Python too
  py::register_exception_translator(translate_errors);
  m.def("check", &check, py::arg("scenario"), py::arg("is_text"), py::arg("overrides"),
        "Loads and validates a scenario (path or TOML text) with its data; returns a summary.");
  m.def("run", &run, py::arg("scenario"), py::arg("is_text"), py::arg("overrides"),
        py::arg("out_dir"), py::arg("progress") = false,
        "Runs a scenario into out_dir as `psim run` does; returns how it ended.");
}
