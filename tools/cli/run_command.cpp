// psim run: validate the scenario, prepare the run folder, run, report.
#include "actors/runtime.hpp"
#include "sim/trace.hpp"
#include "tools/cli/commands.hpp"

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

// The short report printed at the end of a run.
void print_report(const std::string& dir) {
  std::ifstream in(dir + "/summary.json");
  auto s = nlohmann::json::parse(in, nullptr, false);
  if (s.is_discarded())
    return;
  fmt::print("psim: {} ({}, {} clock) stopped by {} at version {}, t = {:.6g} s "
             "({:.3g} s wall)\n",
             s["name"].get<std::string>(), s["mode"].get<std::string>(),
             s["clock"].get<std::string>(), s["stopped_by"].get<std::string>(),
             s["version"].get<std::uint64_t>(), s["time_s"].get<double>(),
             s["wall_s"].get<double>());
  const auto& f = s["final"];
  const auto& g = s["gradients"];
  const auto& st = s["staleness"];
  fmt::print("  train_loss {}   test_loss {}   test_accuracy {}\n", number(f["train_loss"]),
             number(f["test_loss"]), number(f["test_accuracy"]));
  fmt::print("  gradients: {} computed, {} applied, {} discarded, {} lost, {} in flight\n",
             g["computed"].get<std::uint64_t>(), g["applied"].get<std::uint64_t>(),
             g["discarded_stale"].get<std::uint64_t>(), g["lost"].get<std::uint64_t>(),
             g["in_flight"].get<std::uint64_t>());
  fmt::print("  staleness mean {} max {}   messages {} sent, {} dropped\n",
             number(st["mean"]), st["max"].get<std::uint64_t>(),
             s["messages"]["sent"].get<std::uint64_t>(),
             s["messages"]["dropped"].get<std::uint64_t>());
  if (s.contains("params") && s["params"].size() <= 8)
    fmt::print("  params {}\n", s["params"].dump());
  fmt::print("  wrote {}/metrics.csv, summary.json, scenario.toml\n", dir);
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
  actors::run_options options{dir, !args.quiet && isatty(STDERR_FILENO) != 0};
  auto outcome = actors::run_scenario(scn, options);
  if (!args.quiet)
    print_report(dir);
  if (!outcome.detail.empty() && exit_code(outcome.stopped_by) != exit_ok)
    fmt::print(stderr, "psim: {}: {}\n", outcome.stopped_by, outcome.detail);
  return exit_code(outcome.stopped_by);
}

} // namespace psim::cli
