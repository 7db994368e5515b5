// A server shard's parameters θ, kept in the params_msg that carries them to the workers:
// an update writes θ in place while no message in flight holds it, else into a pooled
// buffer the workers are done with, so that no version is copied only to be sent.
#pragma once

#include "actors/messages.hpp"
#include "actors/runtime/message_pool.hpp"
#include "sim/model/residual_gradient.hpp"
#include "sim/training/optimizer.hpp"

#include <cstdint>
#include <vector>

namespace psim::actors {

/// θ of one server shard and the one message that sends each labelled version of it.
class server_parameters {
public:
  /// No parameters (a server not set up yet).
  server_parameters() = default;

  /// θ = `initial` for shard `shard`; at most `kept` sent messages are pooled.
  server_parameters(std::uint32_t shard, std::vector<double> initial, std::size_t kept);

  /// θ, to read.
  Eigen::Map<const sim::vector> values() const {
    const auto& v = mine_->values;
    return {v.data(), static_cast<Eigen::Index>(v.size())};
  }

  /// One update: θ moved against `direction` at step size `rate` by `opt`.
  void step(sim::optimizer& opt, const Eigen::Ref<const sim::vector>& direction, double rate);

  /// One update by a gradient in residual form, expanded and applied a part at a time
  /// (by plain SGD in one pass, model::descend_part): the bits of step() by the whole
  /// gradient.
  void step(sim::optimizer& opt, const sim::residual_gradient& g, double rate);

  /// θ ← `theta` (a restore from a checkpoint).
  void assign(const Eigen::Ref<const sim::vector>& theta);

  /// θ as a params_msg labelled `version`, `epoch` and `at`, shared by every send with
  /// that label; θ is copied only when it was sent already under another label.
  const caf::message& message(std::uint64_t version, std::uint32_t epoch, std::int64_t at);

  /// The message holding θ now (for tests: whether an update moved θ to another buffer).
  const caf::message& current() const { return current_; }

private:
  /// θ moved by `move(old, to)`: in place while no message in flight holds it, else
  /// into a buffer of its own.
  template <class Move>
  void update(Move move);

  /// θ, to write: in the current message when nobody else holds it, else in a pooled one
  /// (with θ copied into it when `copy`).
  Eigen::Map<sim::vector> writable(bool copy);

  caf::message current_;           // a params_msg: θ and the label of its last send
  params_msg* mine_ = nullptr;     // current_'s params_msg: written only while it is unique
  message_pool<params_msg> pool_;  // earlier messages, reused once their receivers let go
  sim::vector part_;               // a part of a gradient in residual form, expanded
};

} // namespace psim::actors
