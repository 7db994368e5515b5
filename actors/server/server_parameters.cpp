// A server shard's θ in the params_msg that sends it: updated in place or straight into
// a free pooled buffer, so that sending a version costs no copy of it.
#include "actors/server/server_parameters.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace psim::actors {

namespace {

// The label no send carries: the first message() labels θ.
constexpr auto unsent = std::numeric_limits<std::uint64_t>::max();

Eigen::Map<sim::vector> values_of(caf::message& msg) {
  auto& v = msg.get_mutable_as<params_msg>(0).values; // nobody else holds it: no copy
  return {v.data(), static_cast<Eigen::Index>(v.size())};
}

} // namespace

server_parameters::server_parameters(std::uint32_t shard, std::vector<double> initial,
                                     bool plain_sgd, std::size_t kept)
  : current_(caf::make_message(params_msg{shard, unsent, 0, std::move(initial), 0})),
    pool_(kept), plain_sgd_(plain_sgd) {
  if (!plain_sgd_)
    own_ = values();
}

void server_parameters::step(sim::optimizer& opt, const Eigen::Ref<const sim::vector>& direction,
                             double rate) {
  if (!plain_sgd_) {
    opt.step(own_, direction, rate);
    writable(false) = own_;
  } else if (current_.cvals()->unique()) {
    values_of(current_) -= rate * direction; // exactly sgd's step, element by element
  } else {
    auto from = current_; // θ in flight: read from it, written into a buffer of its own
    const auto& old = from.get_as<params_msg>(0).values;
    writable(false) =
      Eigen::Map<const sim::vector>{old.data(), static_cast<Eigen::Index>(old.size())}
      - rate * direction;
  }
  current_.get_mutable_as<params_msg>(0).version = unsent; // new values, not sent yet
}

void server_parameters::assign(const Eigen::Ref<const sim::vector>& theta) {
  if (!plain_sgd_)
    own_ = theta;
  writable(false) = theta;
  current_.get_mutable_as<params_msg>(0).version = unsent;
}

const caf::message& server_parameters::message(std::uint64_t version, std::uint32_t epoch,
                                               std::int64_t at) {
  const auto& last = current_.get_as<params_msg>(0);
  if (last.version == version && last.epoch == epoch && last.at == at)
    return current_;
  writable(true); // sent already under another label: that message keeps it
  auto& p = current_.get_mutable_as<params_msg>(0);
  p.version = version;
  p.epoch = epoch;
  p.at = at;
  return current_;
}

Eigen::Map<sim::vector> server_parameters::writable(bool copy) {
  if (current_.cvals()->unique())
    return values_of(current_);
  auto next = pool_.take();
  auto& p = next.get_mutable_as<params_msg>(0); // nobody else holds it: no copy
  const auto& now = current_.get_as<params_msg>(0);
  p.shard = now.shard;
  p.version = unsent;
  p.values.resize(now.values.size()); // a no-op for a pooled buffer of this size
  if (copy)
    std::copy(now.values.begin(), now.values.end(), p.values.begin());
  pool_.keep(std::move(current_));
  current_ = std::move(next);
  return values_of(current_);
}

} // namespace psim::actors
