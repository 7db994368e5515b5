// The psim command line (DESIGN §7). Run through the launcher: tools/psim run
#include "sim/data/psim_home.hpp"
#include "tools/cli/commands.hpp"

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>
#include <thread>

namespace {

// The quickstart: under $PSIM_HOME, beside the executable or in the source tree.
std::string default_scenario() {
  auto found = psim::sim::find_in_psim_home("scenarios/quickstart.toml");
  return found.empty() ? std::string{PSIM_SOURCE_DIR} + "/scenarios/quickstart.toml" : found;
}

} // namespace

// --tls-cert, --tls-key and --tls-ca of `run` and `node`.
void add_tls_options(CLI::App* cmd, psim::actors::tls_files& tls) {
  cmd->add_option("--tls-cert", tls.certificate, "TLS: this side's certificate (PEM)");
  cmd->add_option("--tls-key", tls.key, "TLS: its private key (PEM)");
  cmd->add_option("--tls-ca", tls.ca, "TLS: the CA that signed the other side's certificate");
}

int run_main(int argc, char** argv) {
  CLI::App app{"psim: distributed gradient descent simulated as CAF actors", "psim"};
  app.set_version_flag("--version", PSIM_VERSION);
  app.require_subcommand(1);

  psim::cli::run_args run;
  auto* run_cmd = app.add_subcommand("run", "run a scenario and write its run folder");
  run_cmd->add_option("scenario", run.scenario, "scenario file (default: the quickstart)");
  run_cmd->add_option("-o,--output", run.out_dir, "run folder (default: runs/<name>)");
  run_cmd->add_option("--set", run.overrides,
                      "override a key: KEY=VALUE (TOML value); one per --set, repeat it")
    ->type_name("KEY=VALUE")
    ->expected(1) // one value per option: help shows no "..."
    ->allow_extra_args(false)
    ->take_all();
  run_cmd->add_flag("-q,--quiet", run.quiet, "print nothing but errors");
  run_cmd->add_option("--secret-file", run.secret_file,
                      "[deployment]: the nodes' shared secret (else $PSIM_SECRET)");
  add_tls_options(run_cmd, run.tls);

  std::vector<std::string> check_files;
  auto* check_cmd = app.add_subcommand("check", "validate scenario files without running");
  check_cmd->add_option("scenarios", check_files, "scenario files")->required();

  psim::cli::sweep_args sweep;
  sweep.jobs = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  auto* sweep_cmd = app.add_subcommand(
    "sweep", "run a scenario over a grid of values times seeds; write sweep.csv and sweep.png");
  sweep_cmd->add_option("scenario", sweep.scenario, "scenario file")->required();
  sweep_cmd->add_option("--vary", sweep.vary, "a key and its values; repeat for a grid")
    ->type_name("KEY=V1,V2,...")
    ->required()
    ->expected(1) // one value per option: help shows no "..."
    ->allow_extra_args(false)
    ->take_all();
  sweep_cmd->add_option("--set", sweep.overrides,
                        "override a key in every run; one per --set, repeat it")
    ->type_name("KEY=VALUE")
    ->expected(1) // one value per option: help shows no "..."
    ->allow_extra_args(false)
    ->take_all();
  sweep_cmd->add_option("--repeat", sweep.repeat, "seeds per grid point: seed, seed+1, ...")
    ->check(CLI::PositiveNumber);
  sweep_cmd->add_option("-j,--jobs", sweep.jobs, "runs at a time (default: number of cores)")
    ->check(CLI::PositiveNumber);
  sweep_cmd->add_option("-o,--output", sweep.out_dir, "sweep folder (default: sweeps/<name>)");
  sweep_cmd->add_option("--target-loss", sweep.target_loss,
                        "record the time and version at which train_loss first reaches this");
  sweep_cmd->add_option("--tail", sweep.tail,
                        "sweep.csv's train_loss_tail: the mean of the last K metrics rows "
                        "(default 5)")
    ->check(CLI::PositiveNumber);
  bool no_plot = false;
  sweep_cmd->add_flag("--no-plot", no_plot, "do not draw sweep.png");
  sweep_cmd->add_flag("-q,--quiet", sweep.quiet, "print nothing but errors");

  psim::cli::plot_args plot;
  auto* plot_cmd = app.add_subcommand("plot", "draw run folders or a sweep folder (matplotlib)");
  plot_cmd->add_option("dirs", plot.dirs, "run folders, or one sweep folder")->required();
  plot_cmd->add_option("-o,--output", plot.output,
                       "FILE.png, .svg or .pdf (default: plot.png or sweep.png in the first)");
  plot_cmd->add_option("--x", plot.x,
                       "runs: time | version | wall (default time); sweep: a varied key");
  plot_cmd->add_option("--y", plot.y, "a column to draw instead of the losses");
  plot_cmd->add_flag("--log", plot.log, "logarithmic y axis");
  plot_cmd->add_option("--window", plot.window,
                       "runs: draw the timeline between START:END virtual seconds "
                       "(default: all when it fits, else around the first fault)");
  plot_cmd->add_option("--describe", plot.describe,
                       "also write the data behind the figure as JSON to this file");

  psim::cli::trace_args trace;
  auto* trace_cmd = app.add_subcommand(
    "trace", "export a run's events.csv as Trace Event JSON (ui.perfetto.dev, chrome://tracing)");
  trace_cmd->add_option("run", trace.run, "run folder made with trace.events = true")->required();
  trace_cmd->add_option("-o,--output", trace.output, "the JSON file (default: RUN/trace.json)");

  psim::cli::compare_args compare;
  auto* compare_cmd = app.add_subcommand(
    "compare", "run folders side by side: the scenario keys that differ, then the outcomes");
  compare_cmd->add_option("runs", compare.runs, "run folders")->required();
  auto* csv = compare_cmd->add_flag("--csv", compare.csv, "write CSV");
  compare_cmd->add_flag("--markdown", compare.markdown, "write a Markdown table")->excludes(csv);

  psim::cli::node_args node;
  auto* node_cmd
    = app.add_subcommand("node", "host psim actors for coordinators on other machines");
  node_cmd->add_option("--listen", node.listen,
                       "HOST:PORT to listen on (default 127.0.0.1:7001; port 0: the OS picks)");
  node_cmd->add_option("--secret-file", node.secret_file,
                       "file whose first line is the shared secret (else $PSIM_SECRET)");
  node_cmd->add_option("--check", node.check,
                       "instead: connect to the node at HOST:PORT and send it every message type");
  add_tls_options(node_cmd, node.tls);
  node_cmd->add_flag("--insecure", node.insecure,
                     "listen on a non-loopback address without TLS (see the README first)");
  node_cmd->add_option("--handshake-timeout", node.handshake_timeout,
                       "seconds a connection may take to finish the handshake (default 5)")
    ->check(CLI::Range(0.1, 3600.0));
  node_cmd->add_option("--max-unauthenticated", node.max_unauthenticated,
                       "connections without a handshake kept at once (default 32)")
    ->check(CLI::Range(1, 100000));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    auto code = app.exit(e);
    return code == 0 ? 0 : psim::cli::exit_usage;
  }
  if (run_cmd->parsed()) {
    if (run.scenario.empty()) {
      run.scenario = default_scenario();
      run.plot = true;
    }
    return psim::cli::run_command(run);
  }
  if (sweep_cmd->parsed()) {
    sweep.plot = !no_plot;
    return psim::cli::sweep_command(sweep);
  }
  if (plot_cmd->parsed())
    return psim::cli::plot_command(plot);
  if (trace_cmd->parsed())
    return psim::cli::trace_command(trace);
  if (compare_cmd->parsed())
    return psim::cli::compare_command(compare);
  if (node_cmd->parsed())
    return psim::cli::node_command(node);
  return psim::cli::check_command(check_files);
}

namespace {

// Ctrl-C before a run has its own handler (loading, checking): leave with 130 at once.
void leave_interrupted(int) {
  std::_Exit(psim::cli::exit_interrupted);
}

} // namespace

// Every command, with any exception turned into one line and exit 1 (never an abort).
int main(int argc, char** argv) {
  std::signal(SIGINT, leave_interrupted);
  try {
    return run_main(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("psim: error: out of memory (std::bad_alloc)\n", stderr);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "psim: error: %s\n", e.what());
  } catch (...) {
    std::fputs("psim: error: an unknown exception\n", stderr);
  }
  return psim::cli::exit_failed;
}
