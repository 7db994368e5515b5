// psim run: validate the scenario, prepare the run folder, run, report (and, for the
// quickstart, draw plot.png).
#include "actors/remote/node.hpp"
#include "actors/remote/remote_cluster.hpp"
#include "actors/runtime/runtime.hpp"
#include "sim/output/trace.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/plotter.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <csignal>
#include <filesystem>
#include <fstream>
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

int exit_code(const std::string& stopped_by) {
  if (stopped_by == "interrupted")
    return exit_interrupted;
  if (stopped_by == "diverged" || stopped_by == "stalled")
    return exit_failed;
  return exit_ok;
}

std::string number(const nlohmann::json& x) {
  return x.is_number() ? fmt::format("{:.6g}", x.get<double>()) : "-";
}

// The value of a counter in summary.json (0 when absent).
std::uint64_t count(const nlohmann::json& x) {
  return x.is_number() ? x.get<std::uint64_t>() : 0;
}

// The compact table printed at the end of a run; `plot` is where its picture went
// ("" for none).
void print_report(const std::string& dir, const std::string& plot) {
  std::ifstream in(dir + "/summary.json");
  auto s = nlohmann::json::parse(in, nullptr, false);
  if (s.is_discarded())
    return;
  const auto& f = s["final"];
  const auto& g = s["gradients"];
  const auto& st = s["staleness"];
  const auto& m = s["messages"];
  auto clock = s["clock"].get<std::string>();
  fmt::print("psim: {} ({}, {} workers, {} clock) stopped by {}\n", s["name"].get<std::string>(),
             s["mode"].get<std::string>(), s["workers"].size(), clock,
             s["stopped_by"].get<std::string>());
  auto row = [](const char* label, const std::string& value, const char* label2,
                const std::string& value2) {
    fmt::print("  {:<15}{:<15}{:<15}{}\n", label, value, label2, value2);
  };
  row("train loss", number(f["train_loss"]), "versions", std::to_string(count(s["version"])));
  row("test loss", number(f["test_loss"]), clock == "virtual" ? "virtual time" : "time",
      fmt::format("{:.6g} s (wall {:.3g} s)", s["time_s"].get<double>(),
                  s["wall_s"].get<double>()));
  row("test accuracy", number(f["test_accuracy"]), "staleness",
      fmt::format("mean {}, max {}", number(st["mean"]), count(st["max"])));
  fmt::print("  {:<15}{} computed, {} applied, {} discarded, {} abandoned, {} lost, "
             "{} in flight\n",
             "gradients", count(g["computed"]), count(g["applied"]),
             count(g["discarded_stale"]), count(g["abandoned"]), count(g["lost"]),
             count(g["in_flight"]));
  fmt::print("  {:<15}{} sent, {} dropped, {} duplicated\n", "messages", count(m["sent"]),
             count(m["dropped"]), count(m["duplicated"]));
  if (s.contains("params") && s["params"].size() <= 8) {
    std::string params;
    for (const auto& p : s["params"])
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
  auto plot = args.plot && outcome.stopped_by != "interrupted" ? draw_plot(dir, args.quiet) : "";
  if (!args.quiet)
    print_report(dir, plot);
  if (!outcome.detail.empty() && exit_code(outcome.stopped_by) != exit_ok)
    fmt::print(stderr, "psim: {}: {}\n", outcome.stopped_by, outcome.detail);
  return exit_code(outcome.stopped_by);
}

} // namespace psim::cli
