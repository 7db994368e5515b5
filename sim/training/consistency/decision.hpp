// What a server rule decides on each event: small values the parameter-server actor
// carries out in order (take a gradient into the round, apply, discard, answer).
#pragma once

#include "sim/training/consistency/inline_vector.hpp"

#include <cstdint>
#include <variant>
#include <vector>

namespace psim::sim {

/// Take the gradient at hand into the round under way: its staleness factor scales
/// it, its samples weigh it in the round's average.
struct take_into_round {
  double weight = 0; ///< its weight in the round's average (its samples)
  double factor = 1; ///< its staleness weighting's factor
};

/// A gradient counted as applied when its round is applied.
struct applied_gradient {
  std::uint32_t worker = 0;    ///< who sent it
  std::uint64_t tau = 0;       ///< its staleness when applied
  std::uint32_t gradients = 1; ///< gradients it carries
};

/// Apply the round's weighted average now at `rate` and count `members` as applied.
struct apply_round {
  double rate = 0;                       ///< step size (1 for local_sgd's model deltas)
  std::vector<applied_gradient> members; ///< the round's gradients, in arrival order
};

/// Apply the gradient at hand now, on its own: scaled by `factor`, stepped at `rate`.
struct apply_gradient {
  double rate = 0;       ///< step size (the scheduled learning rate)
  std::uint64_t tau = 0; ///< its staleness
  double factor = 1;     ///< its staleness weighting's factor
};

/// Discard the gradient at hand as stale.
struct discard_stale {
  std::uint64_t tau = 0; ///< its staleness
};

/// Send the current parameters to one worker.
struct reply_to {
  std::uint32_t worker = 0; ///< who gets them
};

/// Send the current parameters to every live worker.
struct broadcast_all {};

/// Hold a worker back (ssp): it gets no parameters until a later decision says so.
struct hold_back {
  std::uint32_t worker = 0; ///< who waits
};

/// One decision of a server rule.
using decision = std::variant<take_into_round, apply_round, apply_gradient, discard_stale,
                              reply_to, broadcast_all, hold_back>;

/// The decisions on one event, to be carried out in order; empty = nothing to do. The
/// usual one to three are kept in place: the per-gradient answer allocates nothing.
using decisions = inline_vector<decision, 3>;

/// Equal applied gradients.
inline bool operator==(const applied_gradient& a, const applied_gradient& b) {
  return a.worker == b.worker && a.tau == b.tau && a.gradients == b.gradients;
}
/// Equal take decisions.
inline bool operator==(const take_into_round& a, const take_into_round& b) {
  return a.weight == b.weight && a.factor == b.factor;
}
/// Equal round applications.
inline bool operator==(const apply_round& a, const apply_round& b) {
  return a.rate == b.rate && a.members == b.members;
}
/// Equal gradient applications.
inline bool operator==(const apply_gradient& a, const apply_gradient& b) {
  return a.rate == b.rate && a.tau == b.tau && a.factor == b.factor;
}
/// Equal discards.
inline bool operator==(const discard_stale& a, const discard_stale& b) { return a.tau == b.tau; }
/// Equal replies.
inline bool operator==(const reply_to& a, const reply_to& b) { return a.worker == b.worker; }
/// Broadcasts are all alike.
inline bool operator==(const broadcast_all&, const broadcast_all&) { return true; }
/// Equal holds.
inline bool operator==(const hold_back& a, const hold_back& b) { return a.worker == b.worker; }

} // namespace psim::sim
