// The run control: the stop rule applied under a lock, the progress, the outcome.
#include "actors/runtime/run_control.hpp"

namespace psim::actors {

run_control::run_control(const sim::stop_config& stop, std::size_t replicas)
  : wall_start_(std::chrono::steady_clock::now().time_since_epoch().count()),
    rule_(stop, replicas) {
}

void run_control::stop_locked(const sim::stop_decision& decision) {
  if (!stop_requested_.load()) {
    outcome_.stopped_by = decision.reason;
    outcome_.detail = decision.detail;
    stop_requested_ = true;
  }
  cv_.notify_all();
}

void run_control::report_row(const progress& p) {
  std::lock_guard<std::mutex> guard{mtx_};
  progress_ = p;
  if (auto decision = rule_.after_row(p.version, p.train_loss))
    stop_locked(*decision);
}

void run_control::report_halt() {
  std::lock_guard<std::mutex> guard{mtx_};
  if (auto decision = rule_.after_halt())
    stop_locked(*decision);
}

void run_control::check_outside(bool interrupted, std::optional<double> time_s) {
  auto wall = wall_seconds();
  std::lock_guard<std::mutex> guard{mtx_};
  if (auto decision = rule_.outside(interrupted, wall, time_s))
    stop_locked(*decision);
}

void run_control::request_stop(sim::stop_reason reason, const std::string& detail) {
  std::lock_guard<std::mutex> guard{mtx_};
  stop_locked(sim::stop_decision{reason, detail});
}

void run_control::finish(std::optional<sim::run_summary> summary, const std::string& error) {
  std::lock_guard<std::mutex> guard{mtx_};
  outcome_.summary = std::move(summary);
  outcome_.error = error;
  finished_ = true;
  cv_.notify_all();
}

void run_control::fail(const std::string& error) {
  std::lock_guard<std::mutex> guard{mtx_};
  outcome_.error = error;
  stop_locked(sim::stop_decision{sim::stop_reason::stalled, error});
  finished_ = true;
  cv_.notify_all();
}

void run_control::stall_after_stop(const std::string& detail) {
  std::lock_guard<std::mutex> guard{mtx_};
  stop_requested_ = true;
  outcome_.stopped_by = sim::stop_reason::stalled;
  outcome_.detail = detail;
  cv_.notify_all();
}

bool run_control::finished() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return finished_;
}

progress run_control::latest() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return progress_;
}

run_outcome run_control::outcome() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return outcome_;
}

void run_control::start_wall_clock() {
  wall_start_ = std::chrono::steady_clock::now().time_since_epoch().count();
}

double run_control::wall_seconds() const {
  auto start = std::chrono::steady_clock::time_point{
    std::chrono::steady_clock::duration{wall_start_.load()}};
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::shared_ptr<run_control> make_run_control(const sim::scenario& scn) {
  auto replicas = scn.training.mode == sim::mode_kind::allreduce ? scn.cluster.workers : 0;
  return std::make_shared<run_control>(scn.run.stop, replicas);
}

} // namespace psim::actors
