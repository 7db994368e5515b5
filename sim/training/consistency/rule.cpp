// What every server rule shares (live workers, quorum, rates) and the one table that
// picks a mode's rule: the only place where the server side switches on the mode.
#include "sim/training/consistency/rule.hpp"

#include "sim/training/consistency/modes.hpp"

#include <algorithm>

namespace psim::sim {

server_rule::server_rule(const training_config& training, std::size_t workers)
  : training_(training), live_(workers, true), live_count_(workers) {}

decisions server_rule::on_worker_lost(std::uint32_t worker, std::uint64_t version) {
  count_work();
  if (!live_.at(worker))
    return {};
  live_[worker] = false;
  --live_count_;
  return after_worker_lost(worker, version);
}

decisions server_rule::on_worker_joined(std::uint32_t worker) {
  count_work();
  if (!live_.at(worker)) {
    live_[worker] = true;
    ++live_count_;
  }
  return after_worker_joined(worker);
}

decisions server_rule::on_server_restart() { return {broadcast_all{}}; }

std::size_t server_rule::quorum(std::size_t wanted) const {
  if (training_.on_failure == failure_policy::wait)
    return wanted;
  return std::max<std::size_t>(1, std::min(wanted, live_count_));
}

double server_rule::base_rate(std::uint64_t version) const {
  return training_.schedule.at(training_.learning_rate, version);
}

bool server_rule::pushes_deltas() const {
  return training_.mode == mode_kind::local_sgd || training_.local_steps > 1;
}

double server_rule::update_rate(std::uint64_t version) const {
  return pushes_deltas() ? training_.server_learning_rate : base_rate(version);
}

double server_rule::staleness_weight(std::uint64_t tau) const {
  return staleness_factor(training_.staleness_lr, tau);
}

decision server_rule::apply_or_discard(const gradient_arrival& g, std::uint64_t version) const {
  auto tau = version - g.version;
  if (training_.drop_stale >= 0 && tau > static_cast<std::uint64_t>(training_.drop_stale))
    return discard_stale{tau};
  return apply_gradient{update_rate(version), tau, staleness_weight(tau)};
}

std::unique_ptr<server_rule> make_server_rule(const training_config& training,
                                              std::size_t workers,
                                              const round_sampling& sampling) {
  switch (training.mode) {
    case mode_kind::sync: return detail::make_sync_rule(training, workers, sampling);
    case mode_kind::async: return detail::make_async_rule(training, workers);
    case mode_kind::ssp: return detail::make_ssp_rule(training, workers);
    case mode_kind::ksync: return detail::make_ksync_rule(training, workers, sampling);
    case mode_kind::kasync: return detail::make_kasync_rule(training, workers);
    case mode_kind::local_sgd: return detail::make_local_sgd_rule(training, workers, sampling);
    case mode_kind::allreduce: return nullptr; // no server: the workers all-reduce in a ring
  }
  return nullptr;
}

} // namespace psim::sim
