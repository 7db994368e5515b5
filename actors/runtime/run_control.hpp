// What the runtime and the recorder share within one process: the stop request (who
// asked and why), the progress shown on the terminal, and the end of the run.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

namespace psim::actors {

/// The latest row the recorder wrote.
struct progress {
  std::uint64_t version = 0; ///< version of the latest row
  double time = 0;           ///< its time (s)
  double train_loss = 0;     ///< its train loss
};

/// Thread-safe meeting point of the runtime and the recorder.
class run_control {
public:
  /// Asks the run to stop for `reason` (a summary `stopped_by`); the first reason wins.
  void request_stop(const std::string& reason, const std::string& detail = "") {
    std::lock_guard<std::mutex> guard{mtx_};
    if (!stop_requested_.load()) {
      reason_ = reason;
      detail_ = detail;
      stop_requested_ = true;
    }
    cv_.notify_all();
  }

  /// True once a stop was requested.
  bool stop_requested() const { return stop_requested_.load(std::memory_order_relaxed); }

  /// Why the run stops ("" while it runs).
  std::string stopped_by() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return reason_;
  }

  /// A sentence explaining the stop, where there is more to say (e.g. who waits).
  std::string detail() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return detail_;
  }

  /// Publishes the latest row for the progress display.
  void publish(const progress& p) {
    std::lock_guard<std::mutex> guard{mtx_};
    progress_ = p;
  }

  /// The latest published row.
  progress latest() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return progress_;
  }

  /// Marks the run's outputs as complete.
  void finish() {
    std::lock_guard<std::mutex> guard{mtx_};
    finished_ = true;
    cv_.notify_all();
  }

  /// True once the outputs are complete.
  bool finished() const {
    std::lock_guard<std::mutex> guard{mtx_};
    return finished_;
  }

  /// Waits up to `d` for a stop request; true if one came.
  template <class Duration>
  bool wait_for_stop(Duration d) {
    std::unique_lock<std::mutex> guard{mtx_};
    return cv_.wait_for(guard, d, [this] { return stop_requested_.load(); });
  }

  /// Waits up to `d` for the outputs to be complete; true if they are.
  template <class Duration>
  bool wait_for_finish(Duration d) {
    std::unique_lock<std::mutex> guard{mtx_};
    return cv_.wait_for(guard, d, [this] { return finished_; });
  }

  /// The wall-clock instant the run started (for the `wall` column).
  std::chrono::steady_clock::time_point wall_start = std::chrono::steady_clock::now();

private:
  mutable std::mutex mtx_;
  std::condition_variable cv_;
  std::atomic<bool> stop_requested_{false};
  std::string reason_;
  std::string detail_;
  progress progress_;
  bool finished_ = false;
};

} // namespace psim::actors
