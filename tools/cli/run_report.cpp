// The end-of-run report: one table from the run's summary; lines for resends, faults
// and crashed workers appear only when the run had any.
#include "tools/cli/run_report.hpp"

#include "sim/output/lag_histogram.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <optional>

namespace psim::cli {

namespace {

/// The most faults the report lists one by one.
constexpr std::size_t listed_faults = 6;

// A number as the report prints it: 6 significant digits, "-" for none (summary.json
// writes a non-finite number as null, which the report has always shown as "-").
std::string number(const std::optional<double>& x) {
  return x && std::isfinite(*x) ? fmt::format("{:.6g}", *x) : "-";
}

void line(const char* label, const std::string& text) {
  fmt::print("  {:<15}{}\n", label, text);
}

// "crash worker-2 at 1 s (until 2 s)", "server_crash server-0 at 3 s (rolled back 24)".
std::string describe_fault(const sim::fault_summary& f) {
  auto text = fmt::format("{} {} at {:.6g} s", f.kind, f.target, f.at);
  if (f.until && *f.until != f.at) // a restart at once has no interval to show
    text += fmt::format(" (until {:.6g} s)", *f.until);
  if (f.rolled_back)
    text += fmt::format(" (rolled back {})", *f.rolled_back);
  return text;
}

// True when a crash fault took worker `id` down and it never came back.
bool never_restarted(const sim::run_summary& s, std::uint32_t id) {
  for (const auto& f : s.faults)
    if (f.kind == "crash" && !f.until && f.target == fmt::format("worker-{}", id))
      return true;
  return false;
}

// The lines only a run with resends, faults or crashes has.
void print_incidents(const sim::run_summary& s) {
  if (!s.faults.empty()) {
    std::string text;
    for (std::size_t i = 0; i < s.faults.size() && i < listed_faults; ++i)
      text += (i == 0 ? "" : "; ") + describe_fault(s.faults[i]);
    if (s.faults.size() > listed_faults)
      text += fmt::format("; and {} more (summary.json lists them)",
                          s.faults.size() - listed_faults);
    line("faults", text);
  }
  std::string crashed;
  for (const auto& w : s.workers)
    if (w.crashes > 0)
      crashed += fmt::format("{}worker-{} {}x{}", crashed.empty() ? "" : ", ", w.id, w.crashes,
                             never_restarted(s, w.id) ? " (lost: never restarted)" : "");
  if (!crashed.empty())
    line("crashed", crashed);
  std::string idle;
  for (const auto& w : s.workers)
    if (w.never_computed)
      idle += fmt::format("{}worker-{}", idle.empty() ? "" : ", ", w.id);
  if (!idle.empty())
    line("never computed", idle + " (no parameters reached them)");
}

} // namespace

std::vector<report_line> lag_lines(const sim::run_summary& s) {
  sim::lag_histogram histogram;
  histogram.merge(s.lag);
  auto q = histogram.quantiles();
  if (!q)
    return {};
  std::vector<report_line> lines{{"lag", fmt::format("p50 {:.3g} s, p99 {:.3g} s, max {:.3g} s "
                                                     "over {} timed events", q->p50, q->p99,
                                                     q->max, q->events)}};
  auto verdict = sim::judge_lag(*q, s.time_s, s.lag_reference_s);
  if (verdict == sim::lag_verdict::fell_behind)
    lines.push_back({"warning", fmt::format("the run fell behind the model: p99 lag {:.3g} s is "
                                            "{:.3g} % of the run's {:.3g} s; versions per "
                                            "second can be lower than the model says, and "
                                            "events are out of the model's order",
                                            q->p99, 100 * q->p99 / s.time_s, s.time_s)});
  else if (verdict == sim::lag_verdict::may_reorder)
    lines.push_back({"note", fmt::format("over 1 % of the timed events were handled later than "
                                         "the smallest modelled duration ({:.3g} s; p99 "
                                         "{:.3g} s): events that close in model time can "
                                         "swap, so staleness can differ from the virtual "
                                         "clock's", s.lag_reference_s, q->p99)});
  return lines;
}

std::string failure_explanation(sim::stop_reason reason, const std::string& detail) {
  if (reason == sim::stop_reason::diverged)
    return "the train loss became non-finite or reached 1000x its first value";
  if (reason == sim::stop_reason::stalled)
    return "no version could be applied any more" + (detail.empty() ? "" : ": " + detail);
  return "";
}

void print_report(const sim::run_summary& s, const std::string& dir, const std::string& plot,
                  const std::string& detail) {
  auto stale = sim::staleness_of(s.staleness_histogram);
  const auto& g = s.gradients;
  const auto& m = s.messages;
  fmt::print("psim: {} ({}, {} workers, {} clock) stopped by {}\n", s.name, s.mode,
             s.workers.size(), s.clock, sim::to_string(s.stopped_by));
  if (auto why = failure_explanation(s.stopped_by, detail); !why.empty())
    line("why", why);
  auto row = [](const char* label, const std::string& value, const char* label2,
                const std::string& value2) {
    fmt::print("  {:<15}{:<15}{:<15}{}\n", label, value, label2, value2);
  };
  row("train loss", number(s.train_loss), "versions", std::to_string(s.version));
  row("test loss", number(s.test_loss), s.clock == "virtual" ? "virtual time" : "time",
      fmt::format("{:.6g} s (wall {:.3g} s)", s.time_s, s.wall_s));
  row("test accuracy", number(s.test_accuracy), "staleness",
      fmt::format("mean {}, max {}", number(stale.mean), stale.max));
  line("gradients", fmt::format("{} computed, {} applied, {} discarded, {} abandoned, {} lost, "
                                "{} in flight",
                                g.computed, g.applied, g.discarded_stale, g.abandoned, g.lost,
                                g.in_flight));
  auto messages = fmt::format("{} sent, {} dropped, {} duplicated", m.sent, m.dropped,
                              m.duplicated);
  if (m.resent > 0 || m.ignored > 0)
    messages += fmt::format(", {} resent, {} ignored", m.resent, m.ignored);
  line("messages", messages);
  print_incidents(s);
  for (const auto& [label, text] : lag_lines(s))
    line(label.c_str(), text);
  if (!s.params.empty() && s.params.size() <= 8) {
    std::string params;
    for (auto p : s.params)
      params += (params.empty() ? "" : ", ") + number(p);
    line("params", "[" + params + "]");
  }
  auto events = std::filesystem::exists(dir + "/events.csv") ? ", events.csv" : "";
  line("wrote", fmt::format("{}: metrics.csv, summary.json, scenario.toml{}", dir, events));
  if (!plot.empty())
    line("plot", plot);
}

} // namespace psim::cli
