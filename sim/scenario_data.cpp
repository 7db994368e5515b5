// The [data] and [model] tables of a scenario file: sources, generators, sharding
// and models (the reference for users is docs/scenario-reference.md).
#include "sim/scenario_reader.hpp"

#include <fmt/format.h>

#include <array>

namespace psim::sim {

data_config read_data(scenario_reader data, std::size_t workers) {
  data_config config;
  config.source = data.choice("source", "synthetic", {"synthetic", "csv"});
  config.test_fraction = data.number("test_fraction", 0, half_open(0, 1));
  config.sharding = data.choice("sharding", "contiguous", {"contiguous", "shuffled"});
  config.standardize = data.boolean("standardize", false);
  config.noise = data.number("noise", 0.1, at_least(0));
  constexpr std::array synthetic_keys{"generator", "samples", "features", "weights", "bias"};
  constexpr std::array csv_keys{"path", "target"};
  if (config.source == "synthetic") {
    for (auto key : csv_keys)
      data.forbid(key, "for source = \"csv\" (here source = \"synthetic\")");
    config.generator = data.choice("generator", "linear", {"linear"});
    config.samples = static_cast<std::size_t>(data.integer("samples", 1000, 1));
    config.features = static_cast<std::size_t>(data.integer("features", 1, 1));
    if (auto weights = data.optional_numbers("weights")) {
      if (weights->size() != config.features)
        data.fail("weights", fmt::format("found {} weights for features = {}; allowed: an array"
                                         " of {} numbers, one weight per feature",
                                         weights->size(), config.features, config.features));
      config.weights = *weights;
    }
    config.bias = data.number("bias", 0);
    double training = static_cast<double>(config.samples) * (1 - config.test_fraction);
    if (training < static_cast<double>(workers))
      data.fail("samples", fmt::format("found samples = {} with test_fraction = {}, which leaves"
                                       " {} training samples for cluster.workers = {}; allowed:"
                                       " at least one training sample per worker",
                                       config.samples, config.test_fraction, training, workers));
  } else {
    for (auto key : synthetic_keys)
      data.forbid(key, "for source = \"synthetic\" (here source = \"csv\")");
    auto path = data.optional_string("path");
    if (!path)
      data.missing("path", "source = \"csv\" needs the file to read");
    config.path = *path;
    if (const toml::node* target = data.find("target")) {
      if (auto* name = target->as_string())
        config.target = name->get();
      else if (auto* index = target->as_integer(); index && index->get() >= 0)
        config.target = std::to_string(index->get());
      else
        data.fail_found("target", "a column name (a string) or a 0-based column index"
                                  " (an integer >= 0)");
    }
  }
  data.finish();
  return config;
}

model_config read_model(scenario_reader model) {
  model_config config;
  config.kind = model.choice("kind", "linear_regression", {"linear_regression"});
  config.bias = model.boolean("bias", true);
  config.l2 = model.number("l2", 0, at_least(0));
  model.finish();
  return config;
}

} // namespace psim::sim
