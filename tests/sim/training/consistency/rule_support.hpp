// Shared helpers of the server-rule tests: a training table per mode, pushes, and a
// printer so that a failed comparison of decisions shows both lists.
#pragma once

#include "sim/training/consistency/rule.hpp"

#include <ostream>
#include <type_traits>
#include <variant>
#include <vector>

namespace psim::sim {

/// Prints one decision, e.g. "apply_round(0.1; w0 tau 0 x1)".
inline std::ostream& operator<<(std::ostream& out, const decision& d) {
  std::visit(
    [&out](const auto& x) {
      using T = std::decay_t<decltype(x)>;
      if constexpr (std::is_same_v<T, take_into_round>)
        out << "take(" << x.weight << ")";
      else if constexpr (std::is_same_v<T, apply_round>) {
        out << "apply_round(" << x.rate << ";";
        for (const auto& m : x.members)
          out << " w" << m.worker << " tau " << m.tau << " x" << m.gradients;
        out << ")";
      } else if constexpr (std::is_same_v<T, apply_gradient>)
        out << "apply_gradient(" << x.rate << ", tau " << x.tau << ")";
      else if constexpr (std::is_same_v<T, discard_stale>)
        out << "discard(tau " << x.tau << ")";
      else if constexpr (std::is_same_v<T, reply_to>)
        out << "reply(w" << x.worker << ")";
      else if constexpr (std::is_same_v<T, broadcast_all>)
        out << "broadcast";
      else
        out << "hold(w" << x.worker << ")";
    },
    d);
  return out;
}

/// Prints a list of decisions in brackets.
inline std::ostream& operator<<(std::ostream& out, const decisions& ds) {
  out << "[";
  for (std::size_t i = 0; i < ds.size(); ++i)
    out << (i ? ", " : "") << ds[i];
  return out << "]";
}

} // namespace psim::sim

namespace psim::test {

/// A [training] table of `mode` with learning rate 0.1 and every other default.
inline sim::training_config training_of(sim::mode_kind mode) {
  sim::training_config training;
  training.mode = mode;
  training.learning_rate = 0.1;
  return training;
}

/// training_of(mode) waiting for `k` gradients (ksync, kasync).
inline sim::training_config training_of(sim::mode_kind mode, std::size_t k) {
  auto training = training_of(mode);
  training.k = k;
  return training;
}

/// A first arrival from `worker`, computed on `version`, of `samples` rows.
inline sim::gradient_arrival push(std::uint32_t worker, std::uint64_t version,
                                  std::uint32_t samples = 10, std::uint32_t gradients = 1) {
  return {worker, version, samples, gradients, true};
}

/// The workers a list of decisions answers, in order.
inline std::vector<std::uint32_t> answered(const sim::decisions& ds) {
  std::vector<std::uint32_t> out;
  for (const auto& d : ds)
    if (const auto* r = std::get_if<sim::reply_to>(&d))
      out.push_back(r->worker);
  return out;
}

} // namespace psim::test
