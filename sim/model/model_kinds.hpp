// The names of the model kinds scenario files may give, from the one table in
// sim/model/model.cpp.
#pragma once

#include <string_view>
#include <vector>

namespace psim::sim {

/// Every model kind's name, in the order the reference lists them.
std::vector<std::string_view> model_kinds();

} // namespace psim::sim
