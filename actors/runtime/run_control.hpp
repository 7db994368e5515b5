// The one channel from a run's actors to its runtime, within one process. The recorder
// reports each metrics row and the end of the outputs; the runtime and the node watch
// report what they see from outside. Every stop is decided here, by sim::stop_rule,
// and the first one wins. The wall clock of the run is read here and nowhere else.
#pragma once

#include "sim/output/stop_rule.hpp"
#include "sim/output/summary.hpp"
#include "sim/scenario/scenario.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace psim::actors {

/// The latest row the recorder wrote.
struct progress {
  std::uint64_t version = 0; ///< version of the latest row
  double time = 0;           ///< its time (s)
  double train_loss = 0;     ///< its train loss
};

/// How a run ended.
struct run_outcome {
  sim::stop_reason stopped_by = sim::stop_reason::stalled; ///< the summary's stopped_by
  std::string detail;                     ///< more to say about it (may be empty)
  std::optional<sim::run_summary> summary; ///< what summary.json holds, once written
  std::string error; ///< why the outputs are incomplete ("" when they are complete)
};

/// Thread-safe meeting point of the runtime and the run's actors.
class run_control {
public:
  /// A control for a run with the stop conditions `stop`; `replicas` as sim::stop_rule.
  run_control(const sim::stop_config& stop, std::size_t replicas);

  /// Recorder: a metrics row was written; publishes it and applies the stop rule.
  void report_row(const progress& p);

  /// Recorder: one more allreduce replica halted at the update budget.
  void report_halt();

  /// Runtime: applies the conditions seen from outside the actors (see stop_rule).
  void check_outside(bool interrupted, std::optional<double> time_s = std::nullopt);

  /// Asks the run to stop for a reason no rule sees (stalled, or the time horizon of
  /// the virtual clock); the first request wins.
  void request_stop(sim::stop_reason reason, const std::string& detail = "");

  /// Recorder: the outputs are written; `summary` is what summary.json holds (none if
  /// it could not be written), `error` what went wrong on the way ("" when nothing).
  void finish(std::optional<sim::run_summary> summary, const std::string& error);

  /// Recorder: the outputs cannot be completed because of `error`; stops the run.
  void fail(const std::string& error);

  /// Runtime: the actors did not report after the stop; the run counts as stalled
  /// with `detail`, whatever stopped it.
  void stall_after_stop(const std::string& detail);

  /// True once the outputs are complete (or failed).
  bool finished() const;

  /// True once a stop was requested.
  bool stop_requested() const { return stop_requested_.load(std::memory_order_relaxed); }

  /// The latest published row.
  progress latest() const;

  /// Server shard 0, or allreduce's replica: the version it applied last, for the
  /// progress line between rows (one relaxed store).
  void note_version(std::uint64_t v) { live_version_.store(v, std::memory_order_relaxed); }

  /// The version noted last (0 before any).
  std::uint64_t live_version() const { return live_version_.load(std::memory_order_relaxed); }

  /// How the run ended so far: the stop, and the summary once finished.
  run_outcome outcome() const;

  /// Waits up to `d` for a stop request; true if one came.
  template <class Duration>
  bool wait_for_stop(Duration d) {
    std::unique_lock<std::mutex> guard{mtx_};
    return cv_.wait_for(guard, d, [this] { return stop_requested_.load(); });
  }

  /// Waits up to `d` for the outputs to be complete (or failed); true if they are.
  template <class Duration>
  bool wait_for_finish(Duration d) {
    std::unique_lock<std::mutex> guard{mtx_};
    return cv_.wait_for(guard, d, [this] { return finished_; });
  }

  /// Runtime: the run starts now (time 0 of the wall clock).
  void start_wall_clock();

  /// Wall-clock seconds since the run started (the `wall` column and `wall_s`).
  double wall_seconds() const;

private:
  void stop_locked(const sim::stop_decision& decision);

  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<std::chrono::steady_clock::rep> wall_start_;
  std::atomic<std::uint64_t> live_version_{0};
  sim::stop_rule rule_;
  run_outcome outcome_;
  progress progress_;
  bool finished_ = false;
};

/// The control of a run of `scn`: its run.stop conditions, and for allreduce its
/// replicas (one per worker).
std::shared_ptr<run_control> make_run_control(const sim::scenario& scn);

} // namespace psim::actors
