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
  if (g.version != version || round_.has(g.worker) || !participates(g.worker))
    return {discard_stale{version - g.version}};
  round_.add(g);
  decisions out{take_into_round{static_cast<double>(g.samples)}};
  if (round_.size() >= needed()) {
    auto closing = finish(version);
    out.insert(out.end(), closing.begin(), closing.end());
  }
  return out;
}

decisions round_rule::on_repeat(const gradient_arrival& g, std::uint64_t version) const {
  if ((g.version == version && g.same_epoch) || !participates(g.worker))
    return {};
  return {reply_to{g.worker}};
}

decisions round_rule::on_start() {
  return participants_.sampling() ? next_round() : decisions{broadcast_all{}};
}

decisions round_rule::on_server_restart() {
  return participants_.sampling() ? next_round() : server_rule::on_server_restart();
}

bool round_rule::participates(std::uint32_t worker) const {
  return !participants_.sampling() || participants_.has(worker);
}

decisions round_rule::after_worker_lost(std::uint32_t worker, std::uint64_t version) {
  participants_.set_live(worker, false);
  if (round_.size() > 0 && round_.size() >= needed())
    return finish(version);
  return {};
}

decisions round_rule::after_worker_joined(std::uint32_t worker) {
  participants_.set_live(worker, true);
  if (!participants_.sampling() || participants_.has(worker))
    return {reply_to{worker}};
  // A round drawn among too few live workers takes those who come back, up to C.
  auto counted = training().on_failure == failure_policy::wait ? participants_.members().size()
                                                               : present();
  if (counted >= std::min(wanted(), participants_.wanted()))
    return {};
  participants_.add(worker);
  return {reply_to{worker}};
}

decisions round_rule::finish(std::uint64_t version) {
  decisions out{round_.close(round_rate(version), version)};
  if (!participants_.sampling()) {
    out.push_back(broadcast_all{});
    return out;
  }
  auto next = next_round();
  out.insert(out.end(), next.begin(), next.end());
  return out;
}

decisions round_rule::next_round() {
  decisions out;
  for (auto w : participants_.draw())
    out.push_back(reply_to{w});
  return out;
}

// Participants still live or already counted in the round.
std::size_t round_rule::present() const {
  std::size_t count = 0;
  for (auto w : participants_.members())
    if (live(w) || round_.has(w))
      ++count;
  return count;
}

// The gradients that close the round: the mode's quorum, or with sampling the mode's
// want capped at the participants (those present, unless on_failure = "wait").
std::size_t round_rule::needed() const {
  if (!participants_.sampling())
    return quorum(wanted());
  auto target = std::min(wanted(), participants_.wanted());
  if (training().on_failure == failure_policy::wait)
    return target;
  return std::max<std::size_t>(1, std::min(target, present()));
}

} // namespace psim::sim
