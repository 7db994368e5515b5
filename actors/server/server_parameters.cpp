// A server shard's θ in the params_msg that sends it: the optimizer steps it in place or
// writes the step straight into a free pooled buffer, so that sending a version costs no
// copy of it, whatever the optimizer.
#include "actors/server/server_parameters.hpp"

#include <algorithm>
#include <limits>
#include <utility>

namespace psim::actors {

namespace {

// The label no send carries: the first message() labels θ.
constexpr auto unsent = std::numeric_limits<std::uint64_t>::max();

Eigen::Map<sim::vector> values_of(params_msg& p) {
  return {p.values.data(), static_cast<Eigen::Index>(p.values.size())};
}

} // namespace

server_parameters::server_parameters(std::uint32_t shard, std::vector<double> initial,
                                     std::size_t kept)
  : current_(caf::make_message(params_msg{shard, unsent, 0, std::move(initial), 0})),
    mine_(&current_.get_mutable_as<params_msg>(0)), pool_(kept) {}

template <class Move>
void server_parameters::update(Move move) {
  bool in_place = current_.cvals()->unique();
  auto from = in_place ? caf::message{} : current_; // θ in flight: read, not written
  auto old = values_of(*mine_);
  auto to = in_place ? old : writable(false);
  move(old, to);
  mine_->version = unsent; // new values, not sent yet (current_ is unique now)
}

void server_parameters::step(sim::optimizer& opt, const Eigen::Ref<const sim::vector>& direction,
                             double rate) {
  update([&](const auto& old, auto& to) { opt.step_into(old, to, direction, rate); });
}

void server_parameters::step(sim::optimizer& opt, const sim::residual_gradient& g, double rate) {
  update([&](const auto& old, auto& to) {
    if (opt.plain()) // each entry computed and stepped by at once, no part written
      return g.descend(rate, old, to);
    opt.begin_step();
    sim::for_each_part(g, old.size(), part_, [&](Eigen::Index at, const auto& part) {
      opt.step_part(old.segment(at, part.size()), to.segment(at, part.size()), part, rate, at);
    });
  });
}

void server_parameters::assign(const Eigen::Ref<const sim::vector>& theta) {
  writable(false) = theta;
  mine_->version = unsent;
}

const caf::message& server_parameters::message(std::uint64_t version, std::uint32_t epoch,
                                               std::int64_t at) {
  if (mine_->version == version && mine_->epoch == epoch && mine_->at == at)
    return current_;
  writable(true); // sent already under another label: that message keeps it
  auto& p = *mine_;
  p.version = version;
  p.epoch = epoch;
  p.at = at;
  return current_;
}

Eigen::Map<sim::vector> server_parameters::writable(bool copy) {
  if (current_.cvals()->unique())
    return values_of(*mine_);
  const auto& now = *mine_; // stays alive in the pool, where current_ goes
  if (!pool_.swap_free(current_)) {
    auto sent = std::exchange(current_, caf::make_message(params_msg{}));
    pool_.keep(std::move(sent));
  }
  auto& p = current_.get_mutable_as<params_msg>(0); // nobody else holds it: no copy
  p.shard = now.shard;
  p.version = unsent;
  p.values.resize(now.values.size()); // a no-op for a pooled buffer of this size
  if (copy)
    std::copy(now.values.begin(), now.values.end(), p.values.begin());
  mine_ = &p;
  return values_of(p);
}

} // namespace psim::actors
