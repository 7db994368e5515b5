// psim sweep: runs the grid of --vary values times --repeat seeds, each run a child
// `psim run` process in its own folder, -j at a time; skips runs finished before;
// writes sweep.csv and sweep.json, prints means over the seeds, draws sweep.png.
#include "sim/scenario/scenario_errors.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/plotter.hpp"
#include "tools/cli/process.hpp"
#include "tools/cli/sweep_results.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

namespace psim::cli {

namespace {

namespace fs = std::filesystem;

volatile std::sig_atomic_t stop_requested = 0;

void on_sigint(int) {
  stop_requested = 1;
}

// Ctrl-C stops launching runs; the running ones (which get it too) write their
// summaries as interrupted and are run again by the next sweep.
void install_interrupt_handler() {
  struct sigaction action {};
  action.sa_handler = on_sigint;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr); // no SA_RESTART: waitpid returns on Ctrl-C
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The resolved scenario of each grid point; an error names the --vary value.
bool resolve_points(const sweep_args& args, const std::vector<grid_point>& points,
                    std::vector<std::string>& resolved) {
  for (const auto& p : points) {
    auto overrides = args.overrides;
    overrides.insert(overrides.end(), p.overrides.begin(), p.overrides.end());
    try {
      resolved.push_back(sim::load_scenario(args.scenario, overrides).resolved);
    } catch (const sim::scenario_errors& all) {
      // The first --set lines are the sweep's own --set; the others its --vary, in order.
      auto sets = static_cast<int>(args.overrides.size());
      for (const auto& e : all.errors)
        if (e.file == "--set" && e.line > sets)
          print_error("--vary", e.line - sets, e.column, e.key, e.what());
        else
          print_error(e.file, e.line, e.column, e.key, e.what());
      return false;
    }
  }
  return true;
}

std::string run_line(const run_result& r) {
  const auto& s = r.summary;
  auto loss = s["final"]["train_loss"];
  return fmt::format("stopped by {} at version {}, train_loss {}, t = {:.4g} s",
                     s.value("stopped_by", "?"), s.value("version", 0),
                     loss.is_number() ? fmt::format("{:.4g}", loss.get<double>()) : "-",
                     s.value("time_s", 0.0));
}

// Everything a sweep runs: the grid, each point's resolved scenario and the folder.
struct sweep_plan {
  sweep_definition sweep;             ///< keys, seeds and target of the sweep
  std::vector<grid_point> points;     ///< every run of the grid
  std::vector<std::string> resolved;  ///< each point's resolved scenario
  std::string dir;                    ///< the sweep folder
};

// Checks the arguments and lays out the sweep; an exit code when it cannot run.
std::optional<int> plan_sweep(const sweep_args& args, sweep_plan& plan) {
  auto& sweep = plan.sweep;
  sweep = {args.scenario, "", {}, args.overrides, args.repeat, 0, args.target_loss, args.tail};
  try {
    for (const auto& v : args.vary)
      sweep.keys.push_back(parse_vary(v));
    name_keys(sweep.keys);
  } catch (const std::invalid_argument& e) {
    print_error("", 0, 0, "", e.what());
    return exit_usage;
  }
  sim::scenario base;
  if (!load_checked(args.scenario, args.overrides, base))
    return exit_usage;
  sweep.name = base.name;
  sweep.first_seed = base.seed;
  plan.points = expand_grid(sweep.keys, base.seed, args.repeat);
  std::set<std::string> folders;
  for (const auto& p : plan.points)
    if (!folders.insert(p.folder).second) {
      print_error("", 0, 0, "--vary",
                  fmt::format("two values make the same folder name {}", p.folder));
      return exit_usage;
    }
  if (!resolve_points(args, plan.points, plan.resolved))
    return exit_usage;
  plan.dir = args.out_dir.empty() ? "sweeps/" + base.name : args.out_dir;
  std::error_code ec;
  fs::create_directories(plan.dir, ec);
  if (ec) {
    print_error(plan.dir, 0, 0, "", "cannot create the sweep folder: " + ec.message());
    return exit_usage;
  }
  return std::nullopt;
}

// The points still to run: a run is finished when it wrote its summary for exactly
// this scenario. Fills `results` with the finished ones.
std::vector<std::size_t> pending_points(const sweep_args& args, const sweep_plan& plan,
                                        std::vector<run_result>& results) {
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < plan.points.size(); ++i) {
    auto run_dir = plan.dir + "/" + plan.points[i].folder;
    results[i] = read_run(run_dir, args.target_loss, args.tail);
    if (!results[i].finished || read_text(run_dir + "/scenario.toml") != plan.resolved[i]) {
      results[i] = run_result{};
      pending.push_back(i);
    }
  }
  return pending;
}

// Starts point i as a child `psim run`; its pid, or -1.
pid_t start_point(const sweep_args& args, const sweep_plan& plan, std::size_t i,
                  const std::string& exe) {
  auto run_dir = plan.dir + "/" + plan.points[i].folder;
  std::error_code ec;
  fs::create_directories(run_dir, ec);
  std::vector<std::string> argv{exe, "run", args.scenario, "-o", run_dir, "--quiet"};
  for (const auto& o : args.overrides)
    argv.insert(argv.end(), {"--set", o});
  for (const auto& o : plan.points[i].overrides)
    argv.insert(argv.end(), {"--set", o});
  return start_program(argv, run_dir + "/psim.log");
}

// Reads the result of point i after its child exited with `code`; one line about it.
std::string collect_point(const sweep_args& args, const sweep_plan& plan, std::size_t i,
                          int code, run_result& result) {
  auto run_dir = plan.dir + "/" + plan.points[i].folder;
  std::error_code ec;
  if (fs::exists(run_dir + "/psim.log") && fs::file_size(run_dir + "/psim.log", ec) == 0)
    fs::remove(run_dir + "/psim.log", ec);
  result = read_run(run_dir, args.target_loss, args.tail);
  return result.finished ? run_line(result)
                         : fmt::format("failed (exit {}; see {}/psim.log)", code, run_dir);
}

// Runs the pending points, -j at a time, until done or interrupted; returns the
// failures (runs that did not finish, interrupts aside).
std::vector<std::string> run_points(const sweep_args& args, const sweep_plan& plan,
                                    const std::vector<std::size_t>& pending,
                                    std::vector<run_result>& results) {
  auto jobs = static_cast<std::size_t>(std::max(1, args.jobs));
  install_interrupt_handler();
  auto exe = self_executable();
  std::map<pid_t, std::size_t> running;
  std::size_t next = 0, done = 0;
  std::vector<std::string> failures;
  bool forwarded = false;
  while (true) {
    while (stop_requested == 0 && next < pending.size() && running.size() < jobs) {
      auto i = pending[next++];
      auto pid = start_point(args, plan, i, exe);
      if (pid < 0)
        failures.push_back(fmt::format("{}: could not start {}", plan.points[i].folder, exe));
      else
        running[pid] = i;
    }
    if (running.empty())
      break;
    int code = 0;
    auto pid = wait_any_program(code);
    if (pid < 0) {
      if (errno != EINTR)
        break;
      if (stop_requested != 0 && !forwarded)
        for (const auto& [child, _] : running)
          kill(child, SIGINT);
      forwarded = stop_requested != 0;
      continue;
    }
    auto it = running.find(pid);
    if (it == running.end())
      continue;
    auto i = it->second;
    running.erase(it);
    auto what = collect_point(args, plan, i, code, results[i]);
    if (!results[i].finished && stop_requested == 0)
      failures.push_back(plan.points[i].folder + ": " + what);
    if (!args.quiet)
      fmt::print("  [{}/{}] {}: {}\n", ++done, pending.size(), plan.points[i].folder, what);
  }
  return failures;
}

// Writes the sweep's files, table and figure; the sweep's exit code.
int finish_sweep(const sweep_args& args, const sweep_plan& plan,
                 const std::vector<run_result>& results,
                 const std::vector<std::string>& failures) {
  try {
    write_sweep_files(plan.dir, plan.sweep, plan.points, results);
  } catch (const std::exception& e) {
    print_error(plan.dir, 0, 0, "", fmt::format("cannot write sweep.csv: {}", e.what()));
    return exit_failed;
  }
  if (!args.quiet)
    print_sweep_table(plan.sweep, plan.points, results);
  for (const auto& f : failures)
    fmt::print(stderr, "psim: run failed: {}\n", f);
  if (stop_requested != 0) {
    fmt::print(stderr, "psim: sweep interrupted; run it again to finish the remaining runs\n");
    return exit_interrupted;
  }
  std::string plot;
  if (args.plot) {
    auto outcome = run_plot_script({plan.dir, "-o", plan.dir + "/sweep.png"});
    if (!outcome.found)
      fmt::print(stderr, "psim: no sweep.png: {}\n", no_matplotlib_message(outcome));
    else if (outcome.code == exit_ok)
      plot = ", sweep.png";
  }
  auto diverged = static_cast<std::size_t>(std::count_if(results.begin(), results.end(),
                                                         failed_run));
  if (!args.quiet)
    fmt::print("  wrote {}/sweep.csv, sweep.json{}{}\n", plan.dir, plot,
               failures.empty() && diverged == 0
                 ? ""
                 : fmt::format("; {} of {} runs failed ({} diverged or stalled, {} did not "
                               "finish)",
                               diverged + failures.size(), plan.points.size(), diverged,
                               failures.size()));
  return failures.empty() && diverged == 0 ? exit_ok : exit_failed;
}

} // namespace

int sweep_command(const sweep_args& args) {
  sweep_plan plan;
  if (auto refused = plan_sweep(args, plan))
    return *refused;
  std::vector<run_result> results(plan.points.size());
  auto pending = pending_points(args, plan, results);
  auto jobs = static_cast<std::size_t>(std::max(1, args.jobs));
  if (!args.quiet)
    fmt::print("psim: sweep {}: {} runs in {}; {} finished before (skipped), {} to run, "
               "{} at a time\n",
               plan.sweep.name, plan.points.size(), plan.dir,
               plan.points.size() - pending.size(), pending.size(),
               std::min(jobs, std::max<std::size_t>(pending.size(), 1)));
  auto failures = run_points(args, plan, pending, results);
  return finish_sweep(args, plan, results, failures);
}

} // namespace psim::cli
