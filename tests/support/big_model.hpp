// Test support: a scenario whose model is big (sim/training/buffers.hpp, big_model_from),
// so that its workers push batch-1 gradients as residuals (or, when they need the
// gradient whole, write it when their computations end).
#pragma once

#include <cstddef>
#include <string>

namespace psim::test {

/// 100 classes x 99 features and 100 biases: 10,000 parameters, batch 1, async, two
/// workers computing 50 ms each.
inline const std::string big_model_scenario = R"(
seed = 5
[data]
generator = "blobs"
samples = 40
features = 99
centers = 4
[model]
kind = "softmax_regression"
classes = 100
[training]
mode = "async"
learning_rate = 0.1
batch_size = 1
[cluster]
workers = 2
[compute]
time = "50ms"
)";

/// The parameters of big_model_scenario's model.
inline constexpr std::size_t big_model_parameters = 10'000;

} // namespace psim::test
