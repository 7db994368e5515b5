// The memory estimate: every large buffer a run allocates, counted from the scenario.
#include "sim/scenario/memory_estimate.hpp"

#include "sim/scenario/scenario.hpp"
#include "sim/training/buffers.hpp"
#include "sim/training/worker/worker_rule.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

namespace psim::sim {

namespace {

constexpr std::uint64_t doubles = 8;

// a x b, saturating instead of wrapping.
std::uint64_t times(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > std::numeric_limits<std::uint64_t>::max() / a)
    return std::numeric_limits<std::uint64_t>::max();
  return a * b;
}

std::uint64_t plus(std::uint64_t a, std::uint64_t b) {
  return b > std::numeric_limits<std::uint64_t>::max() - a
           ? std::numeric_limits<std::uint64_t>::max() : a + b;
}

// Rows and features of the data set, as far as the scenario tells them.
std::pair<std::uint64_t, std::uint64_t> data_shape(const data_config& d) {
  if (d.source == "synthetic")
    return {d.samples, d.features};
  if (d.source == "mnist")
    return {d.samples == 0 ? 70000 : d.samples, 784};
  // csv, libsvm: a cell takes at least two bytes of text ("0,").
  std::error_code ignored;
  auto bytes = std::filesystem::file_size(d.path, ignored);
  return {ignored ? 0 : bytes / 2, 1};
}

// Whether the workers of `scn`, whose model has `parameters`, push their gradients as
// residuals (sim::big_model_from: a big model whose one-row gradient has a residual
// form) and read the received parameters in place (reads_in_place: one server shard, a
// mode whose workers push what they compute and do not step themselves), in one
// process. Such a worker has no parameter-sized vector of its own, its pushes are a few
// numbers, and without resends at most one message of parameters is on its way to it:
// it pushes only on parameters that came after its last push, and the server answers a
// gradient with one message at most, or with one that a round's workers share. It holds
// received parameters only until its next computation starts.
bool pushes_residuals(const scenario& scn, std::uint64_t parameters) {
  const auto& m = scn.model;
  bool residual_form = scn.training.batch_size == 1 && m.l2 == 0
                       && (m.kind != "softmax_regression" || m.classes > 1);
  return parameters >= big_model_from && residual_form
         && reads_in_place(*make_worker_rule(scn.training), scn.cluster.servers)
         && !scn.network.timeout && !scn.deployment.enabled();
}

// Parameter-sized vectors of the server shards: θ, its pooled messages, the checkpoint,
// the round's sum, an optimizer's state (at most two vectors) and its checkpoint copy,
// and the versions kept for injected staleness.
std::uint64_t server_copies(const scenario& scn, std::uint64_t parameters) {
  auto kept = server_messages_kept(parameters, scn.cluster.workers);
  std::uint64_t copies = 1 + kept + 1 + 1 + 2 + 2;
  const auto& injection = scn.training.inject_staleness;
  if (injection.enabled())
    copies = plus(copies, plus(injection.bound(), 1));
  return copies;
}

} // namespace

std::string memory_estimate::dominant_key(const std::string& model_key) const {
  std::array<std::pair<std::uint64_t, std::string>, 4> parts{
    {{data, "data.samples"}, {plus(plus(workers, messages), actors), "cluster.workers"},
     {servers, model_key}, {metrics, "run.eval_every"}}};
  return std::max_element(parts.begin(), parts.end(),
                          [](const auto& a, const auto& b) { return a.first < b.first; })
    ->second;
}

memory_estimate estimate_memory(const memory_inputs& in) {
  memory_estimate e;
  auto params = times(in.parameters, doubles);
  e.data = times(times(in.rows, in.features + 1), doubles);
  auto shard_rows = in.workers == 0 ? in.rows : in.rows / in.workers;
  auto batch = in.batch == 0 ? shard_rows : std::min(in.batch, shard_rows);
  // Activations and their gradients for one batch.
  auto activations = times(times(times(batch, in.widths), doubles), 2);
  e.workers = times(plus(times(params, in.worker_copies), activations), in.workers);
  auto evaluation = times(times(times(in.rows, in.widths), doubles), 2);
  e.servers = plus(times(params, in.server_copies), evaluation);
  e.messages = times(params, times(in.workers, in.flight_copies));
  e.metrics = times(in.metrics_rows, 256);
  e.actors = times(in.workers, plus(worker_actor_bytes, times(in.links, link_actor_bytes)));
  return e;
}

memory_inputs memory_inputs_of(const scenario& scn) {
  memory_inputs in;
  auto [rows, features] = data_shape(scn.data);
  in.rows = rows;
  in.features = features;
  const auto& m = scn.model;
  std::uint64_t bias = m.bias ? 1 : 0;
  std::uint64_t outputs = m.classes > 0 ? m.classes : 1;
  if (m.kind == "mlp") {
    std::uint64_t in_units = features;
    in.widths = features;
    for (auto units : m.hidden) {
      in.parameters = plus(in.parameters, times(units, plus(in_units, bias)));
      in.widths = plus(in.widths, units);
      in_units = units;
    }
    in.parameters = plus(in.parameters, times(outputs, plus(in_units, bias)));
  } else {
    in.parameters = times(m.kind == "softmax_regression" ? outputs : 1, plus(features, bias));
  }
  in.widths = plus(in.widths, outputs);
  in.workers = scn.cluster.workers;
  in.links = scn.training.mode == mode_kind::allreduce ? 1 : 2 * scn.cluster.servers;
  in.batch = scn.training.batch_size;
  in.server_copies = server_copies(scn, in.parameters);
  if (pushes_residuals(scn, in.parameters)) {
    // The parameters on their way to it, and those it holds (ksync, or a server that
    // restarted, can send them during a computation) or a crashed worker's still on
    // their way while its successor joins.
    in.worker_copies = 0;
    in.flight_copies = 2;
  }
  if (scn.run.stop.updates)
    in.metrics_rows = *scn.run.stop.updates / std::max<std::uint64_t>(scn.run.eval_every, 1);
  return in;
}

std::string model_size_key(const scenario& scn) {
  if (scn.model.kind == "mlp" && !scn.model.hidden.empty())
    return "model.hidden";
  if (scn.model.classes > 0)
    return "model.classes";
  return "data.features";
}

void check_memory(const scenario& scn, const toml::table& root, std::uint64_t available) {
  auto in = memory_inputs_of(scn);
  auto e = estimate_memory(in);
  if (available == 0 || e.total() <= available)
    return;
  auto key = e.dominant_key(model_size_key(scn));
  in.workers = 1;
  if (key == "cluster.workers" && estimate_memory(in).total() > available)
    key = model_size_key(scn); // one worker would not fit either: the model is too large
  auto node = root.at_path(key).node();
  auto where = node != nullptr ? node->source() : root.source();
  auto file = where.path ? *where.path : (scn.file.empty() ? std::string{"<text>"} : scn.file);
  throw scenario_error(
    file, static_cast<int>(where.begin.line), static_cast<int>(where.begin.column), key,
    "the run needs about " + memory_text(e.total()) + ", more than the "
      + memory_text(available) + " this machine has (data " + memory_text(e.data)
      + ", workers " + memory_text(e.workers) + ", servers and evaluation "
      + memory_text(e.servers) + ", messages " + memory_text(e.messages) + ", actors "
      + memory_text(e.actors)
      + "); allowed: a smaller " + key);
}

std::uint64_t machine_memory() {
  std::ifstream in("/proc/meminfo");
  std::string key;
  std::uint64_t kilobytes = 0;
  while (in >> key >> kilobytes) {
    if (key == "MemTotal:")
      return times(kilobytes, 1024);
    in.ignore(std::numeric_limits<std::streamsize>::max(), '\n');
  }
  return 0;
}

std::string memory_text(std::uint64_t bytes) {
  constexpr std::array<const char*, 4> units{"B", "KB", "MB", "GB"};
  auto value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1000 && unit + 1 < units.size()) {
    value /= 1000;
    ++unit;
  }
  char text[48];
  std::snprintf(text, sizeof text, value < 10 && unit > 0 ? "%.1f %s" : "%.0f %s", value,
                units[unit]);
  return text;
}

} // namespace psim::sim
