// The psim command line (DESIGN §7). Run through the launcher: tools/psim run
#include "actors/runtime/cores.hpp"
#include "sim/data/psim_home.hpp"
#include "tools/cli/commands.hpp"

#include <CLI/CLI.hpp>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <new>

namespace {

// The quickstart: under $PSIM_HOME, beside the executable or in the source tree.
std::string default_scenario() {
  auto found = psim::sim::find_in_psim_home("scenarios/quickstart.toml");
  return found.empty() ? std::string{PSIM_SOURCE_DIR} + "/scenarios/quickstart.toml" : found;
}

} // namespace

namespace {

// --tls-cert, --tls-key and --tls-ca of `run` and `node`.
void add_tls_options(CLI::App* cmd, psim::actors::tls_files& tls) {
  cmd->add_option("--tls-cert", tls.certificate, "TLS: this side's certificate (PEM)");
  cmd->add_option("--tls-key", tls.key, "TLS: its private key (PEM)");
  cmd->add_option("--tls-ca", tls.ca, "TLS: the CA that signed the other side's certificate");
}

// An option given once per value (--set, --vary): help shows "KEY=VALUE", no "...".
CLI::Option* add_repeated(CLI::App* cmd, const std::string& name,
                          std::vector<std::string>& values, const std::string& help,
                          const std::string& type) {
  return cmd->add_option(name, values, help)
    ->type_name(type)
    ->expected(1)
    ->allow_extra_args(false)
    ->take_all();
}

// Every subcommand's arguments.
struct cli_args {
  psim::cli::run_args run;
  std::vector<std::string> check_files;
  psim::cli::sweep_args sweep;
  bool no_plot = false;
  psim::cli::plot_args plot;
  psim::cli::trace_args trace;
  psim::cli::compare_args compare;
  psim::cli::node_args node;
};

CLI::App* add_run(CLI::App& app, psim::cli::run_args& run) {
  auto* cmd = app.add_subcommand("run", "run a scenario and write its run folder");
  cmd->add_option("scenario", run.scenario, "scenario file (default: the quickstart)");
  cmd->add_option("-o,--output", run.out_dir, "run folder (default: runs/<name>)");
  add_repeated(cmd, "--set", run.overrides,
               "override a key: KEY=VALUE (TOML value); one per --set, repeat it", "KEY=VALUE");
  cmd->add_flag("-q,--quiet", run.quiet, "print nothing but errors");
  cmd->add_option("--secret-file", run.secret_file,
                  "[deployment]: the nodes' shared secret (else $PSIM_SECRET)");
  add_tls_options(cmd, run.tls);
  return cmd;
}

CLI::App* add_sweep(CLI::App& app, psim::cli::sweep_args& sweep, bool& no_plot) {
  sweep.jobs = static_cast<int>(psim::actors::usable_cores());
  auto* cmd = app.add_subcommand(
    "sweep", "run a scenario over a grid of values times seeds; write sweep.csv and sweep.png");
  cmd->add_option("scenario", sweep.scenario, "scenario file")->required();
  add_repeated(cmd, "--vary", sweep.vary, "a key and its values; repeat for a grid",
               "KEY=V1,V2,...")
    ->required();
  add_repeated(cmd, "--set", sweep.overrides,
               "override a key in every run; one per --set, repeat it", "KEY=VALUE");
  cmd->add_option("--repeat", sweep.repeat, "seeds per grid point: seed, seed+1, ...")
    ->check(CLI::PositiveNumber);
  cmd->add_option("-j,--jobs", sweep.jobs, "runs at a time (default: number of cores)")
    ->check(CLI::PositiveNumber);
  cmd->add_option("-o,--output", sweep.out_dir, "sweep folder (default: sweeps/<name>)");
  cmd->add_option("--target-loss", sweep.target_loss,
                  "record the time and version at which train_loss first reaches this");
  cmd->add_option("--tail", sweep.tail,
                  "sweep.csv's train_loss_tail: the mean of the last K metrics rows (default 5)")
    ->check(CLI::PositiveNumber);
  cmd->add_flag("--no-plot", no_plot, "do not draw sweep.png");
  cmd->add_flag("-q,--quiet", sweep.quiet, "print nothing but errors");
  return cmd;
}

CLI::App* add_plot(CLI::App& app, psim::cli::plot_args& plot) {
  auto* cmd = app.add_subcommand("plot", "draw run folders or a sweep folder (matplotlib)");
  cmd->add_option("dirs", plot.dirs, "run folders, or one sweep folder")->required();
  cmd->add_option("-o,--output", plot.output,
                  "FILE.png, .svg or .pdf (default: plot.png or sweep.png in the first)");
  cmd->add_option("--x", plot.x, "runs: time | version | wall (default time); sweep: a varied key");
  cmd->add_option("--y", plot.y, "a column to draw instead of the losses");
  cmd->add_flag("--log", plot.log, "logarithmic y axis");
  cmd->add_option("--window", plot.window,
                  "runs: draw the timeline between START:END virtual seconds "
                  "(default: all when it fits, else around the first fault)");
  cmd->add_option("--describe", plot.describe,
                  "also write the data behind the figure as JSON to this file");
  return cmd;
}

CLI::App* add_trace(CLI::App& app, psim::cli::trace_args& trace) {
  auto* cmd = app.add_subcommand(
    "trace", "export a run's events.csv as Trace Event JSON (ui.perfetto.dev, chrome://tracing)");
  cmd->add_option("run", trace.run, "run folder made with trace.events = true")->required();
  cmd->add_option("-o,--output", trace.output, "the JSON file (default: RUN/trace.json)");
  return cmd;
}

CLI::App* add_compare(CLI::App& app, psim::cli::compare_args& compare) {
  auto* cmd = app.add_subcommand(
    "compare", "run folders side by side: the scenario keys that differ, then the outcomes");
  cmd->add_option("runs", compare.runs, "run folders")->required();
  auto* csv = cmd->add_flag("--csv", compare.csv, "write CSV");
  cmd->add_flag("--markdown", compare.markdown, "write a Markdown table")->excludes(csv);
  return cmd;
}

CLI::App* add_node(CLI::App& app, psim::cli::node_args& node) {
  auto* cmd = app.add_subcommand("node", "host psim actors for coordinators on other machines");
  cmd->add_option("--listen", node.listen,
                  "HOST:PORT to listen on (default 127.0.0.1:7001; port 0: the OS picks)");
  cmd->add_option("--secret-file", node.secret_file,
                  "file whose first line is the shared secret (else $PSIM_SECRET)");
  cmd->add_option("--check", node.check,
                  "instead: connect to the node at HOST:PORT and send it every message type");
  add_tls_options(cmd, node.tls);
  cmd->add_flag("--insecure", node.insecure,
                "listen on a non-loopback address without TLS (see the README first)");
  cmd->add_option("--handshake-timeout", node.handshake_timeout,
                  "seconds a connection may take to finish the handshake (default 5)")
    ->check(CLI::Range(0.1, 3600.0));
  cmd->add_option("--max-unauthenticated", node.max_unauthenticated,
                  "connections without a handshake kept at once (default 32)")
    ->check(CLI::Range(1, 100000));
  return cmd;
}

} // namespace

int run_main(int argc, char** argv) {
  CLI::App app{"psim: distributed gradient descent simulated as CAF actors", "psim"};
  app.set_version_flag("--version", PSIM_VERSION);
  app.require_subcommand(1);
  cli_args a;
  auto* run_cmd = add_run(app, a.run);
  auto* check_cmd = app.add_subcommand("check", "validate scenario files without running");
  check_cmd->add_option("scenarios", a.check_files, "scenario files")->required();
  auto* sweep_cmd = add_sweep(app, a.sweep, a.no_plot);
  auto* plot_cmd = add_plot(app, a.plot);
  auto* trace_cmd = add_trace(app, a.trace);
  auto* compare_cmd = add_compare(app, a.compare);
  auto* node_cmd = add_node(app, a.node);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    auto code = app.exit(e);
    return code == 0 ? 0 : psim::cli::exit_usage;
  }
  if (run_cmd->parsed()) {
    if (a.run.scenario.empty()) {
      a.run.scenario = default_scenario();
      a.run.plot = true;
    }
    return psim::cli::run_command(a.run);
  }
  if (sweep_cmd->parsed()) {
    a.sweep.plot = !a.no_plot;
    return psim::cli::sweep_command(a.sweep);
  }
  if (plot_cmd->parsed())
    return psim::cli::plot_command(a.plot);
  if (trace_cmd->parsed())
    return psim::cli::trace_command(a.trace);
  if (compare_cmd->parsed())
    return psim::cli::compare_command(a.compare);
  if (node_cmd->parsed())
    return psim::cli::node_command(a.node);
  return psim::cli::check_command(a.check_files);
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
