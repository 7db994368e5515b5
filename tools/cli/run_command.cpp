// psim run: validate the scenario, prepare the run folder, run, report (and, for the
// quickstart, draw plot.png).
#include "actors/remote/node.hpp"
#include "actors/remote/remote_cluster.hpp"
#include "actors/runtime/remoting_hooks.hpp"
#include "actors/runtime/runtime.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/output/summary.hpp"
#include "sim/scenario/memory_estimate.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/huge_pages.hpp"
#include "tools/cli/plotter.hpp"
#include "tools/cli/remote_handover.hpp"
#include "tools/cli/run_report.hpp"

#include <fmt/format.h>

#include <csignal>
#include <filesystem>
#include <unistd.h>

namespace psim::cli {

namespace {

void on_sigint(int) {
  actors::interrupt_run();
}

void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
}

int exit_code(const actors::run_outcome& outcome) {
  if (!outcome.error.empty())
    return exit_failed;
  if (outcome.stopped_by == sim::stop_reason::interrupted)
    return exit_interrupted;
  return sim::is_failure(outcome.stopped_by) ? exit_failed : exit_ok;
}

// Draws plot.png into the run folder; returns its path, or "" (saying why unless quiet).
std::string draw_plot(const std::string& dir, bool quiet) {
  auto file = dir + "/plot.png";
  auto outcome = run_plot_script({dir, "-o", file, "--log"});
  if (!outcome.found && !quiet)
    fmt::print(stderr, "psim: no plot: {}\n", no_matplotlib_message(outcome));
  return outcome.found && outcome.code == exit_ok ? file : "";
}

// A run worth huge pages (big, and not a few gradients per worker) starts again with
// them (called between the scenario's validation and its data's loading).
void restart_if_big(const sim::scenario& scn) {
  if (worth_huge_pages(scn, sim::estimate_memory(sim::memory_inputs_of(scn)).total()))
    restart_with_huge_pages();
}

} // namespace

int run_command(const run_args& args) {
  sim::scenario scn;
  if (!load_checked(args.scenario, args.overrides, scn, restart_if_big))
    return exit_usage;
  if (scn.deployment.enabled() && actors::installed_remoting() == nullptr)
    return hand_over_to_remote(); // before anything is written
  auto dir = args.out_dir.empty() ? "runs/" + scn.name : args.out_dir;
  try {
    std::filesystem::create_directories(dir);
    for (auto file : {"metrics.csv", "summary.json", "scenario.toml", "events.csv"})
      std::filesystem::remove(std::filesystem::path{dir} / file);
    sim::write_file_atomically(dir + "/scenario.toml", scn.resolved);
  } catch (const std::exception& e) {
    print_error(dir, 0, 0, "", fmt::format("cannot prepare the run folder: {}", e.what()));
    return exit_usage;
  }
  install_interrupt_handler();
  actors::run_options options{dir, !args.quiet && isatty(STDERR_FILENO) != 0, "", args.tls};
  actors::run_outcome outcome;
  try {
    if (scn.deployment.enabled()) {
      options.secret = actors::load_secret(args.secret_file);
      actors::check_tls_files(options.tls);
    }
    outcome = actors::run_scenario(scn, options);
  } catch (const actors::deployment_error& e) { // a node unreachable or refusing
    print_error(args.scenario, 0, 0, "", e.what());
    return exit_usage;
  } catch (const actors::secret_error& e) {
    print_error(args.scenario, 0, 0, "", e.what());
    return exit_usage;
  }
  auto plot = args.plot && outcome.stopped_by != sim::stop_reason::interrupted
                 ? draw_plot(dir, args.quiet)
                 : "";
  if (!args.quiet && outcome.summary)
    print_report(*outcome.summary, dir, plot, outcome.detail);
  if (!outcome.error.empty())
    fmt::print(stderr, "psim: error: {}\n", outcome.error);
  else if (!outcome.detail.empty() && exit_code(outcome) != exit_ok)
    fmt::print(stderr, "psim: {}: {}\n", sim::to_string(outcome.stopped_by), outcome.detail);
  return exit_code(outcome);
}

} // namespace psim::cli
