// The [training] keys of the server's numerics: training.optimizer, training.staleness_lr
// and training.inject_staleness, each a name or an inline table with its parameters.
#pragma once

#include "sim/scenario/reader.hpp"

namespace psim::sim {

/// Reads training.optimizer; `momentum` is training.momentum (a momentum factor given
/// without an optimizer means optimizer "momentum").
optimizer_settings read_optimizer(scenario_reader& training, double momentum);

/// Reads training.staleness_lr: a kind's name, or a table with `kind` and its parameter.
staleness_weighting read_staleness_lr(scenario_reader& training);

/// Reads training.inject_staleness for `mode`; `parameters` is the model's size, whose
/// (bound + 1) versions must fit max_history_bytes.
staleness_injection read_inject_staleness(scenario_reader& training, mode_kind mode,
                                          std::size_t parameters);

/// The number of parameters of `model` on `data` (for size checks), 0 when unknown.
std::size_t parameter_count(const model_config& model, const data_config& data);

} // namespace psim::sim
