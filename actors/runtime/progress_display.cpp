// Progress line: actors set up while they spawn; then the largest fraction over the stop
// conditions drives the bar; then the stop.
#include "actors/runtime/progress_display.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

namespace psim::actors {

progress_display::progress_display(const sim::scenario& scn, bool enabled, std::FILE* out)
  : scn_(scn),
    enabled_(enabled),
    out_(out),
    next_(std::chrono::steady_clock::now()) {
}

bool progress_display::due() {
  if (!enabled_)
    return false;
  auto now = std::chrono::steady_clock::now();
  if (now < next_)
    return false;
  next_ = now + std::chrono::milliseconds(100);
  return true;
}

void progress_display::setting_up(std::size_t placed, std::size_t total) {
  // Reading the clock for each of a million actors would cost more than drawing.
  constexpr std::size_t look_every = 1024;
  if (placed % look_every != 0 || !due())
    return;
  fmt::print(out_, "\rsetting up: {} of {} actors ({:.0f}%)   ", placed, total,
             total > 0 ? 100.0 * static_cast<double>(placed) / static_cast<double>(total) : 0.0);
  std::fflush(out_);
  drawn_ = true;
}

void progress_display::update(const run_control& control, double time) {
  if (enabled_ && !running_) {
    running_ = true;
    run_start_wall_ = control.wall_seconds(); // the spawning is no guide to what is left
  }
  if (!due())
    return;
  auto p = control.latest();
  // Rows come every run.eval_every versions; the version itself is noted at each.
  auto version = std::max(p.version, control.live_version());
  auto wall = control.wall_seconds();
  const auto& stop = scn_.run.stop;
  double done = 0;
  if (stop.updates)
    done = std::max(done, static_cast<double>(version) / static_cast<double>(*stop.updates));
  if (stop.time)
    done = std::max(done, time / *stop.time);
  if (stop.wall)
    done = std::max(done, wall / *stop.wall);
  done = std::clamp(done, 0.0, 1.0);
  constexpr int width = 24;
  auto filled = static_cast<int>(done * width);
  std::string bar(static_cast<std::size_t>(filled), '=');
  bar.resize(width, ' ');
  auto eta = done > 0.01 ? fmt::format("{:.1f}s", (wall - run_start_wall_) * (1 - done) / done)
                         : "?";
  fmt::print(out_, "\r[{}] {:3.0f}%  eta {}  t={:.3f}s  v={}  loss={:.6g}   ", bar,
             done * 100, eta, time, version, p.train_loss);
  std::fflush(out_);
  drawn_ = true;
}

void progress_display::stopping(std::size_t actors) {
  if (!enabled_)
    return;
  close();
  fmt::print(out_, "\rstopping: {} actors end and report   ", actors);
  std::fflush(out_);
  drawn_ = true;
}

void progress_display::close() {
  if (drawn_)
    fmt::print(out_, "\r{:80}\r", "");
  drawn_ = false;
}

} // namespace psim::actors
