// Actors are spawned with the resolved scenario as text (so that they can be spawned
// on other nodes); this cache parses each text once per process. Actors spawned in
// this process get a short key to the text instead of a copy of it each.
#pragma once

#include "sim/scenario/scenario.hpp"

#include <memory>
#include <string>

namespace psim::actors {

/// The scenario `resolved_text` describes, parsed once per process and shared;
/// `resolved_text` may also be a key from local_scenario_key.
std::shared_ptr<const sim::scenario> shared_scenario(const std::string& resolved_text);

/// A short text that shared_scenario turns into the scenario `resolved_text` describes,
/// in this process only: what actors spawned here carry instead of the whole text.
std::string local_scenario_key(const std::string& resolved_text);

} // namespace psim::actors
