// Validating, preparing and running a scenario for the Python module, as `psim check`
// and `psim run` do, with Ctrl-C watched from the thread that holds the GIL.
#include "python/in_process_run.hpp"

#include "actors/remote/node.hpp"
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"
#include "sim/output/atomic_file.hpp"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <mutex>
#include <thread>

namespace psim::python {

namespace py = pybind11;

located_data_error::located_data_error(std::string file_, int line_, int column_,
                                       std::string key_, const std::string& message)
  : std::runtime_error(message),
    file(std::move(file_)),
    line(line_),
    column(column_),
    key(std::move(key_)) {
  // nop
}

sim::scenario load_validated(const std::string& scenario, bool is_text,
                             const std::vector<std::string>& overrides) {
  auto scn = is_text ? sim::parse_scenario(scenario, "<text>", overrides)
                     : sim::load_scenario(scenario, overrides);
  auto where = is_text ? std::string{"<text>"} : scenario;
  try {
    auto data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
    auto parameters = sim::make_model(scn.model, data->train.features())->parameters();
    if (scn.cluster.servers > parameters)
      throw located_data_error(where, 0, 0, "cluster.servers",
                               fmt::format("found {} server shards for a model of {} "
                                           "parameters; allowed: at most one shard per "
                                           "parameter",
                                           scn.cluster.servers, parameters));
  } catch (const sim::data_error& e) {
    throw located_data_error(e.file.empty() ? where : e.file, e.line, e.column,
                             e.file.empty() ? "data" : "", e.what());
  }
  return scn;
}

void prepare_run_folder(const std::string& dir, const std::string& resolved) {
  std::filesystem::create_directories(dir);
  for (auto file : {"metrics.csv", "summary.json", "scenario.toml", "events.csv"})
    std::filesystem::remove(std::filesystem::path{dir} / file);
  sim::write_file_atomically(dir + "/scenario.toml", resolved);
}

namespace {

// How often the GIL holder looks at Python's signals while a run goes.
constexpr auto signal_poll = std::chrono::milliseconds{20};

actors::run_options options_for(const sim::scenario& scn, const std::string& out_dir,
                                bool progress) {
  actors::run_options options{out_dir, progress, "", {}};
  if (scn.deployment.enabled()) // the nodes' secret comes from $PSIM_SECRET
    options.secret = actors::load_secret("");
  return options;
}

} // namespace

watched_run run_watching_signals(const sim::scenario& scn, const std::string& out_dir,
                                 bool progress) {
  auto options = options_for(scn, out_dir, progress);
  watched_run result;
  std::exception_ptr failure;
  std::mutex mtx;
  std::condition_variable cv;
  bool done = false;
  actors::clear_interrupt();
  {
    py::gil_scoped_release no_gil;
    std::thread runner{[&] {
      try {
        result.outcome = actors::run_scenario(scn, options);
      } catch (...) {
        failure = std::current_exception();
      }
      std::lock_guard<std::mutex> guard{mtx};
      done = true;
      cv.notify_one();
    }};
    std::unique_lock<std::mutex> guard{mtx};
    while (!cv.wait_for(guard, signal_poll, [&] { return done; })) {
      if (result.python_error)
        continue;
      guard.unlock();
      {
        py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0) {
          result.python_error.emplace(); // fetches and clears the pending exception
          actors::interrupt_run();
        }
      }
      guard.lock();
    }
    guard.unlock();
    runner.join();
  }
  actors::clear_interrupt();
  if (failure)
    std::rethrow_exception(failure);
  return result;
}

} // namespace psim::python
