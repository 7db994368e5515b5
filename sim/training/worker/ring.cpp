// allreduce on the worker: the ring member's steps and the rule that joins the ring.
#include "sim/training/worker/ring.hpp"

#include "sim/training/worker/steps.hpp"
#include "sim/training/worker/worker_rule.hpp"

namespace psim::sim {

namespace {

class ring_all_reduce final : public worker_rule {
public:
  computed_action on_computed() const override { return computed_action::join_ring; }
  bool keeps_replica() const override { return true; }
};

} // namespace

std::unique_ptr<const worker_rule> ring_rule() {
  return std::make_unique<ring_all_reduce>();
}

ring_member::ring_member(std::size_t workers, std::size_t id, Eigen::Index params)
    : workers_(workers),
      id_(id),
      plan_(workers, static_cast<std::size_t>(params + 1)),
      sum_(vector::Zero(params + 1)) {
}

ring_action ring_member::join(Eigen::Ref<const vector> gradient, std::uint32_t samples) {
  auto params = sum_.size() - 1;
  auto weight = static_cast<double>(samples);
  sum_.head(params) = weight * gradient;
  sum_[params] = weight;
  joined_ = true;
  next_ = 0;
  if (workers_ == 1)
    return {ring_action::kind::complete};
  return {ring_action::kind::send, 0, plan_.first_chunk(id_)};
}

void ring_member::arrive(std::uint64_t round, std::uint32_t step, std::vector<double> values) {
  early_.emplace(std::make_pair(round, step), std::move(values));
}

ring_action ring_member::advance(std::uint64_t round) {
  if (!joined_)
    return {};
  auto it = early_.find({round, next_});
  if (it == early_.end())
    return {};
  auto values = std::move(it->second);
  early_.erase(it);
  auto step = next_;
  auto chunk = plan_.received_chunk(id_, step);
  auto begin = static_cast<Eigen::Index>(plan_.begin(chunk));
  auto length = static_cast<Eigen::Index>(plan_.end(chunk)) - begin;
  Eigen::Map<const vector> received{values.data(), length};
  if (plan_.adds(step))
    sum_.segment(begin, length) += received;
  else
    sum_.segment(begin, length) = received;
  next_ = step + 1;
  if (next_ < plan_.steps())
    return {ring_action::kind::send, next_, chunk};
  return {ring_action::kind::complete};
}

std::vector<double> ring_member::chunk(std::size_t c) const {
  return std::vector<double>(sum_.data() + plan_.begin(c), sum_.data() + plan_.end(c));
}

void ring_member::apply(vector& theta, double rate) {
  average_step(theta, sum_, rate);
  joined_ = false;
}

} // namespace psim::sim
