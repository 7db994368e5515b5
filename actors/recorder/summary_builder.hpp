// Turns the reports every actor sends at the stop into summary.json's content.
#pragma once

#include "actors/recorder/recorder.hpp"
#include "sim/output/trace.hpp"

namespace psim::actors {

/// The summary of a run whose reports `st` has all collected.
sim::run_summary build_summary(const recorder_state& st);

} // namespace psim::actors
