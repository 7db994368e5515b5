// The round under way and the rule shared by sync, ksync and local_sgd: one gradient per
// worker on the current version, applied at the quorum, then a broadcast.
#include "sim/training/consistency/round.hpp"

namespace psim::sim {

void round_members::add(const gradient_arrival& g) {
  members_.push_back(member{g.worker, g.version, g.gradients});
  has_.at(g.worker) = true;
  ++touched_;
}

apply_round round_members::close(double rate, std::uint64_t version) {
  apply_round result{rate, {}};
  result.members.reserve(members_.size());
  for (const auto& m : members_)
    result.members.push_back(applied_gradient{m.worker, version - m.version, m.gradients});
  clear();
  return result;
}

// Only the members' entries are set: a round of K gradients is cleared in K steps,
// not in one per worker.
void round_members::clear() {
  for (const auto& m : members_)
    has_[m.worker] = false;
  touched_ += members_.size();
  members_.clear();
}

decisions round_rule::on_gradient(const gradient_arrival& g, std::uint64_t version) {
  if (g.version != version || round_.has(g.worker))
    return {discard_stale{version - g.version}};
  round_.add(g);
  decisions out{take_into_round{static_cast<double>(g.samples)}};
  if (round_.size() >= quorum(wanted())) {
    auto closing = finish(version);
    out.insert(out.end(), closing.begin(), closing.end());
  }
  return out;
}

decisions round_rule::on_repeat(const gradient_arrival& g, std::uint64_t version) const {
  if (g.version == version && g.same_epoch)
    return {};
  return {reply_to{g.worker}};
}

decisions round_rule::after_worker_lost(std::uint64_t version) {
  if (round_.size() > 0 && round_.size() >= quorum(wanted()))
    return finish(version);
  return {};
}

decisions round_rule::finish(std::uint64_t version) {
  return {round_.close(round_rate(version), version), broadcast_all{}};
}

} // namespace psim::sim
