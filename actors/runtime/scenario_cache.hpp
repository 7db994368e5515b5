// Actors are spawned with the resolved scenario as text (so that they can be spawned
// on other nodes); this cache parses each text once per process.
#pragma once

#include "sim/scenario/scenario.hpp"

#include <memory>
#include <string>

namespace psim::actors {

/// The scenario `resolved_text` describes, parsed once per process and shared.
std::shared_ptr<const sim::scenario> shared_scenario(const std::string& resolved_text);

} // namespace psim::actors
