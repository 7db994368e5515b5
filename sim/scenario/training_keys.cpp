// The [training] keys of the server's numerics (optimizer, staleness weighting,
// injected staleness): names, their tables' parameters, defaults and limits.
#include "sim/scenario/training_keys.hpp"

#include "sim/model/model.hpp"

#include <fmt/format.h>

namespace psim::sim {

namespace {

// Reads the hyperparameters of `kind` from its table.
void read_hyperparameters(scenario_reader& table, optimizer_settings& s, double momentum) {
  switch (s.kind) {
    case optimizer_kind::momentum:
    case optimizer_kind::nesterov:
      s.momentum = table.number("momentum", momentum > 0 ? momentum : 0.9, half_open(0, 1));
      break;
    case optimizer_kind::adam:
      s.beta1 = table.number("beta1", 0.9, half_open(0, 1));
      s.beta2 = table.number("beta2", 0.999, half_open(0, 1));
      s.epsilon = table.number("epsilon", 1e-8, above(0));
      break;
    case optimizer_kind::rmsprop:
      s.rho = table.number("rho", 0.9, half_open(0, 1));
      s.epsilon = table.number("epsilon", 1e-8, above(0));
      break;
    case optimizer_kind::adagrad:
      s.epsilon = table.number("epsilon", 1e-10, above(0));
      break;
    case optimizer_kind::sgd:
      break;
  }
}

} // namespace

optimizer_settings read_optimizer(scenario_reader& training, double momentum) {
  optimizer_settings s;
  auto names = optimizer_names();
  const toml::node* node = training.find("optimizer");
  if (node != nullptr && node->is_table()) {
    scenario_reader table = training.table("optimizer");
    s.kind = *optimizer_named(table.choice("kind", "sgd", names));
    read_hyperparameters(table, s, momentum);
    table.finish();
  } else {
    s.kind = *optimizer_named(training.choice("optimizer", momentum > 0 ? "momentum" : "sgd",
                                              names));
    toml::table defaults;
    scenario_reader none(defaults, "", "");
    read_hyperparameters(none, s, momentum);
  }
  bool has_momentum = s.kind == optimizer_kind::momentum || s.kind == optimizer_kind::nesterov;
  if (momentum > 0 && !has_momentum)
    training.fail("momentum", fmt::format("found momentum = {} with optimizer \"{}\"; allowed: "
                                          "momentum > 0 only with optimizer \"momentum\" or "
                                          "\"nesterov\"", momentum, to_string(s.kind)));
  return s;
}

staleness_weighting read_staleness_lr(scenario_reader& training) {
  staleness_weighting w;
  auto names = weighting_kind_names();
  const toml::node* node = training.find("staleness_lr");
  if (node == nullptr || !node->is_table()) {
    w.kind = *weighting_kind_named(training.choice("staleness_lr", "none", names));
    return w;
  }
  scenario_reader table = training.table("staleness_lr");
  w.kind = *weighting_kind_named(table.choice("kind", "none", names));
  if (w.kind == weighting_kind::polynomial)
    w.a = table.number("a", 0.5, at_least(0));
  if (w.kind == weighting_kind::threshold)
    w.max = static_cast<std::uint64_t>(table.integer("max", 8, 0));
  if (w.kind == weighting_kind::exponential)
    w.base = table.number("base", 0.9, {0, 1, true, false});
  table.finish();
  return w;
}

staleness_injection read_inject_staleness(scenario_reader& training, mode_kind mode,
                                          std::size_t parameters) {
  staleness_injection inj;
  if (training.find("inject_staleness") == nullptr)
    return inj;
  if (mode != mode_kind::async && mode != mode_kind::ssp && mode != mode_kind::kasync)
    training.fail("inject_staleness", "found inject_staleness with mode = \"" + to_string(mode)
                                        + "\"; allowed only with async, ssp and kasync");
  // A discarded gradient's answer would carry the label its worker has already.
  if (const toml::node* drop = training.find("drop_stale"); drop && drop->value_or(-1) >= 0)
    training.fail("inject_staleness", "found inject_staleness with drop_stale; allowed: one "
                                      "of them (drop_stale = -1)");
  scenario_reader table = training.table("inject_staleness");
  inj.dist = *injection_kind_named(table.choice("dist", "constant", injection_kind_names()));
  constexpr std::int64_t most = 100000;
  if (inj.dist == injection_kind::constant)
    inj.value = static_cast<std::uint64_t>(table.integer("value", 0, 0, most));
  if (inj.dist == injection_kind::uniform || inj.dist == injection_kind::geometric)
    inj.max = static_cast<std::uint64_t>(table.integer("max", 0, 0, most));
  if (inj.dist == injection_kind::geometric)
    inj.mean = table.number("mean", 1, at_least(0));
  table.finish();
  double bytes = static_cast<double>(inj.bound() + 1) * static_cast<double>(parameters) * 8;
  if (bytes > static_cast<double>(max_history_bytes))
    training.fail("inject_staleness",
                  fmt::format("found a largest staleness of {}: the server would keep {} "
                              "versions of {} parameters ({:.2f} GiB); allowed: at most 1 GiB "
                              "of history, i.e. a largest staleness of at most {}",
                              inj.bound(), inj.bound() + 1, parameters, bytes / (1 << 30),
                              max_history_bytes / (8 * std::max<std::size_t>(parameters, 1)) - 1));
  return inj;
}

std::size_t parameter_count(const model_config& model, const data_config& data) {
  // MNIST's images have 28 x 28 pixels; other files are only read later.
  std::size_t features = data.source == "mnist" ? 784 : data.features;
  try {
    return make_model(model, features)->parameters();
  } catch (const std::exception&) {
    return 0;
  }
}

} // namespace psim::sim
