// The [data] and [model] tables of a scenario file: sources, generators, sharding
// and models (the reference for users is docs/scenario-reference.md).
#include "sim/model/model_kinds.hpp"
#include "sim/scenario/reader.hpp"

#include "sim/data/psim_home.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace psim::sim {

namespace {

/// A key that only some values of a choosing key (source, generator, kind) accept.
struct owned_key {
  std::string_view key;
  std::vector<std::string_view> owners;
};

/// Fails for each key of `keys` present although `value` of `chooser` is not among
/// its owners, saying which values the key is for.
void forbid_foreign(scenario_reader& table, std::string_view chooser, const std::string& value,
                    const std::vector<owned_key>& keys) {
  for (const auto& [key, owners] : keys) {
    if (std::find(owners.begin(), owners.end(), value) != owners.end())
      continue;
    std::vector<std::string> quoted;
    for (auto owner : owners)
      quoted.push_back(quote(owner));
    std::vector<std::string_view> views(quoted.begin(), quoted.end());
    table.forbid(key, fmt::format("for {} = {} (here {} = {})", chooser, joined(views, " | "),
                                  chooser, quote(value)));
  }
}

void read_synthetic(scenario_reader& data, data_config& config, std::size_t workers) {
  config.generator = data.choice("generator", "linear", {"linear", "logistic", "blobs"});
  forbid_foreign(data, "generator", config.generator,
                 {{"weights", {"linear", "logistic"}},
                  {"bias", {"linear", "logistic"}},
                  {"noise", {"linear", "blobs"}},
                  {"centers", {"blobs"}}});
  config.samples = static_cast<std::size_t>(data.integer("samples", 1000, 1, max_samples));
  config.features = static_cast<std::size_t>(data.integer("features", 1, 1, max_features));
  if (config.generator != "blobs") {
    if (auto weights = data.optional_numbers("weights")) {
      if (weights->size() != config.features)
        data.fail("weights", fmt::format("found {} weights for features = {}; allowed: an array"
                                         " of {} numbers, one weight per feature",
                                         weights->size(), config.features, config.features));
      config.weights = *weights;
    }
    config.bias = data.number("bias", 0);
  }
  if (config.generator != "logistic")
    config.noise = data.number("noise", 0.1, at_least(0));
  if (config.generator == "blobs")
    config.centers = static_cast<std::size_t>(data.integer("centers", 3, 2, 1000));
  double training = static_cast<double>(config.samples) * (1 - config.test_fraction);
  if (training < static_cast<double>(workers))
    data.fail("samples", fmt::format("found samples = {} with test_fraction = {}, which leaves"
                                     " {} training samples for cluster.workers = {}; allowed:"
                                     " at least one training sample per worker",
                                     config.samples, config.test_fraction, training, workers));
}

void read_file_source(scenario_reader& data, data_config& config) {
  if (config.source == "mnist") {
    // Given: from the scenario's folder; by default: the MNIST file psim itself has.
    bool given = data.find("path") != nullptr;
    auto installed = given ? "" : find_in_psim_home("data/mnist.bin");
    config.path = data.string("path", installed.empty() ? "data/mnist.bin" : installed);
    if (given)
      config.path = data.file_path("path", config.path);
    config.samples =
      static_cast<std::size_t>(data.optional_integer("samples", 1, max_samples).value_or(0));
    return;
  }
  auto path = data.optional_string("path");
  if (!path)
    data.missing("path", fmt::format("source = {} needs the file to read", quote(config.source)));
  config.path = data.file_path("path", *path);
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

/// The number of classes the data has when the scenario does not say: 0 for
/// real-valued targets; for csv and libsvm files, their distinct labels.
std::size_t data_classes(const data_config& data, const std::string& kind) {
  if (data.source == "mnist")
    return 10;
  if (data.source == "synthetic")
    return data.generator == "logistic" ? 2 : data.generator == "blobs" ? data.centers : 0;
  if (data.source == "csv" && kind == "mlp")
    return 0; // a CSV target is a regression target unless the model says otherwise
  return count_labels(data);
}

} // namespace

data_config read_data(scenario_reader data, std::size_t workers) {
  data_config config;
  config.source = data.choice("source", "synthetic", {"synthetic", "csv", "libsvm", "mnist"});
  config.test_fraction = data.number("test_fraction", 0, half_open(0, 1));
  config.sharding =
    data.choice("sharding", "contiguous", {"contiguous", "shuffled", "label_skew"});
  // Accepted (and unused) with the other shardings, so that --set data.sharding=...
  // can switch a label_skew scenario to them.
  if (config.sharding == "label_skew")
    config.skew_alpha = data.number("skew_alpha", 0.5, above(0));
  else
    config.skew_alpha = data.optional_number("skew_alpha", above(0)).value_or(0.5);
  config.standardize = data.boolean("standardize", false);
  forbid_foreign(data, "source", config.source,
                 {{"generator", {"synthetic"}},
                  {"samples", {"synthetic", "mnist"}},
                  {"features", {"synthetic"}},
                  {"weights", {"synthetic"}},
                  {"bias", {"synthetic"}},
                  {"noise", {"synthetic"}},
                  {"centers", {"synthetic"}},
                  {"path", {"csv", "libsvm", "mnist"}},
                  {"target", {"csv"}}});
  if (config.source == "synthetic")
    read_synthetic(data, config, workers);
  else
    read_file_source(data, config);
  data.finish();
  return config;
}

namespace {

// model.wire_parameters (8 bytes each, as psim counts a double) or model.wire_bytes: the
// size parameter and gradient messages have on the links, apart from the arithmetic.
void read_wire_size(scenario_reader& model, model_config& config) {
  constexpr std::int64_t most = 1'000'000'000'000; // 10^12 parameters, 8 TB
  auto parameters = model.optional_integer("wire_parameters", 1, most);
  auto bytes = model.optional_integer("wire_bytes", 1, 8 * most);
  if (parameters && bytes)
    model.fail("wire_bytes", "found both wire_parameters and wire_bytes; allowed: one of them");
  if (parameters)
    config.wire_bytes = 8 * static_cast<std::uint64_t>(*parameters);
  else if (bytes)
    config.wire_bytes = static_cast<std::uint64_t>(*bytes);
}

} // namespace

model_config read_model(scenario_reader model, data_config& data) {
  model_config config;
  config.kind = model.choice("kind", "linear_regression", model_kinds());
  config.bias = model.boolean("bias", true);
  config.l2 = model.number("l2", 0, at_least(0));
  forbid_foreign(model, "kind", config.kind,
                 {{"hidden", {"mlp"}},
                  {"activation", {"mlp"}},
                  {"classes", {"softmax_regression", "mlp"}}});
  if (config.kind == "mlp") {
    for (auto width : model.integers("hidden", {64}, 1, 100'000))
      config.hidden.push_back(static_cast<std::size_t>(width));
    if (config.hidden.empty())
      model.fail("hidden", "found an empty array; allowed: an array of integers in [1, 100000]"
                           " (one width per hidden layer, at least one layer)");
    config.activation = model.choice("activation", "relu", {"relu", "tanh"});
  }
  if (config.kind == "softmax_regression" || config.kind == "mlp") {
    bool softmax = config.kind == "softmax_regression";
    if (!model.find("classes")) {
      std::size_t found = data_classes(data, config.kind);
      if (softmax && found < 2)
        model.fail("kind", fmt::format("softmax_regression needs class labels, and the data"
                                       " (source = {}) has {}; set model.classes",
                                       quote(data.source),
                                       found == 0 ? "real-valued targets"
                                                  : "a single distinct label"));
      model.integer("classes", static_cast<std::int64_t>(found), 0);
    }
    config.classes = static_cast<std::size_t>(model.integer("classes", 0, softmax ? 2 : 0, 100000));
    if (config.classes == 1)
      model.fail_found("classes", "0 (one linear output: regression) or an integer >= 2");
  }
  if (config.kind == "logistic_regression")
    config.classes = 2;
  read_wire_size(model, config);
  data.classes = config.kind == "linear_regression" ? 0 : config.classes;
  if (data.sharding == "label_skew" && data.classes == 0)
    model.fail(config.kind == "mlp" ? "classes" : "kind",
               fmt::format("data.sharding = \"label_skew\" needs class labels; found kind = {}"
                           "{}; allowed: a classifier", quote(config.kind),
                           config.kind == "mlp" ? " with classes = 0 (regression)" : ""));
  model.finish();
  return config;
}

} // namespace psim::sim
