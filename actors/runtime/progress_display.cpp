// Progress line: the largest fraction over the stop conditions drives the bar.
#include "actors/runtime/progress_display.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

namespace psim::actors {

progress_display::progress_display(const sim::scenario& scn, bool enabled)
  : scn_(scn),
    enabled_(enabled),
    next_(std::chrono::steady_clock::now()) {
}

void progress_display::update(const run_control& control, double time) {
  if (!enabled_)
    return;
  auto now = std::chrono::steady_clock::now();
  if (now < next_)
    return;
  next_ = now + std::chrono::milliseconds(100);
  auto p = control.latest();
  auto wall = control.wall_seconds();
  const auto& stop = scn_.run.stop;
  double done = 0;
  if (stop.updates)
    done = std::max(done, static_cast<double>(p.version) / static_cast<double>(*stop.updates));
  if (stop.time)
    done = std::max(done, time / *stop.time);
  if (stop.wall)
    done = std::max(done, wall / *stop.wall);
  done = std::clamp(done, 0.0, 1.0);
  constexpr int width = 24;
  auto filled = static_cast<int>(done * width);
  std::string bar(static_cast<std::size_t>(filled), '=');
  bar.resize(width, ' ');
  auto eta = done > 0.01 ? fmt::format("{:.1f}s", wall * (1 - done) / done) : "?";
  fmt::print(stderr, "\r[{}] {:3.0f}%  eta {}  t={:.3f}s  v={}  loss={:.6g}   ", bar,
             done * 100, eta, time, p.version, p.train_loss);
  std::fflush(stderr);
  drawn_ = true;
}

void progress_display::close() {
  if (drawn_)
    fmt::print(stderr, "\r{:80}\r", "");
  drawn_ = false;
}

} // namespace psim::actors
