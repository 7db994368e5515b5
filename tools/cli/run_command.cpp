// psim run: validate the scenario, prepare the run folder, run, report (and, for the
// quickstart, draw plot.png).
#include "actors/remote/node.hpp"
#include "actors/remote/remote_cluster.hpp"
#include "actors/runtime/runtime.hpp"
#include "sim/output/atomic_file.hpp"
#include "sim/output/summary.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/plotter.hpp"

#include <fmt/format.h>

#include <cmath>
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

// A number as the report prints it: 6 significant digits, "-" for none (summary.json
// writes a non-finite number as null, which the report has always shown as "-").
std::string number(const std::optional<double>& x) {
  return x && std::isfinite(*x) ? fmt::format("{:.6g}", *x) : "-";
}

// The compact table printed at the end of a run from its summary `s`, written into
// `dir`; `plot` is where its picture went ("" for none).
void print_report(const sim::run_summary& s, const std::string& dir, const std::string& plot) {
  auto stale = sim::staleness_of(s.staleness_histogram);
  const auto& g = s.gradients;
  const auto& m = s.messages;
  fmt::print("psim: {} ({}, {} workers, {} clock) stopped by {}\n", s.name, s.mode,
             s.workers.size(), s.clock, sim::to_string(s.stopped_by));
  auto row = [](const char* label, const std::string& value, const char* label2,
                const std::string& value2) {
    fmt::print("  {:<15}{:<15}{:<15}{}\n", label, value, label2, value2);
  };
  row("train loss", number(s.train_loss), "versions", std::to_string(s.version));
  row("test loss", number(s.test_loss), s.clock == "virtual" ? "virtual time" : "time",
      fmt::format("{:.6g} s (wall {:.3g} s)", s.time_s, s.wall_s));
  row("test accuracy", number(s.test_accuracy), "staleness",
      fmt::format("mean {}, max {}", number(stale.mean), stale.max));
  fmt::print("  {:<15}{} computed, {} applied, {} discarded, {} abandoned, {} lost, "
             "{} in flight\n",
             "gradients", g.computed, g.applied, g.discarded_stale, g.abandoned, g.lost,
             g.in_flight);
  fmt::print("  {:<15}{} sent, {} dropped, {} duplicated\n", "messages", m.sent, m.dropped,
             m.duplicated);
  std::string idle;
  for (const auto& w : s.workers)
    if (w.never_computed)
      idle += fmt::format("{}worker-{}", idle.empty() ? "" : ", ", w.id);
  if (!idle.empty())
    fmt::print("  {:<15}{} (no parameters reached them)\n", "never computed", idle);
  if (!s.params.empty() && s.params.size() <= 8) {
    std::string params;
    for (auto p : s.params)
      params += (params.empty() ? "" : ", ") + number(p);
    fmt::print("  {:<15}[{}]\n", "params", params);
  }
  auto events = std::filesystem::exists(dir + "/events.csv") ? ", events.csv" : "";
  fmt::print("  {:<15}{}: metrics.csv, summary.json, scenario.toml{}\n", "wrote", dir, events);
  if (!plot.empty())
    fmt::print("  {:<15}{}\n", "plot", plot);
}

// Draws plot.png into the run folder; returns its path, or "" (saying why unless quiet).
std::string draw_plot(const std::string& dir, bool quiet) {
  auto file = dir + "/plot.png";
  auto outcome = run_plot_script({dir, "-o", file, "--log"});
  if (!outcome.found && !quiet)
    fmt::print(stderr, "psim: no plot: {}\n", no_matplotlib_message(outcome));
  return outcome.found && outcome.code == exit_ok ? file : "";
}

} // namespace

int run_command(const run_args& args) {
  sim::scenario scn;
  if (!load_checked(args.scenario, args.overrides, scn))
    return exit_usage;
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
    print_report(*outcome.summary, dir, plot);
  if (!outcome.error.empty())
    fmt::print(stderr, "psim: error: {}\n", outcome.error);
  else if (!outcome.detail.empty() && exit_code(outcome) != exit_ok)
    fmt::print(stderr, "psim: {}: {}\n", sim::to_string(outcome.stopped_by), outcome.detail);
  return exit_code(outcome);
}

} // namespace psim::cli
