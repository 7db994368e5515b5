// local_sgd: the worker takes H local steps, then pushes start - theta.
#include "sim/training/worker/local_steps.hpp"

#include "sim/training/worker/steps.hpp"
#include "sim/training/worker/worker_rule.hpp"

namespace psim::sim {

namespace {

class local_steps final : public worker_rule {
public:
  explicit local_steps(std::uint32_t steps) : steps_(steps) {}
  computed_action on_computed() const override { return computed_action::local_step; }
  std::uint32_t steps_per_push() const override { return steps_; }

private:
  std::uint32_t steps_;
};

} // namespace

std::unique_ptr<const worker_rule> local_steps_rule(std::uint32_t steps) {
  return std::make_unique<local_steps>(steps);
}

void local_block::begin(const vector& theta) {
  start_ = theta;
  steps_ = 0;
  samples_ = 0;
}

bool local_block::step(vector& theta, Eigen::Ref<const vector> gradient, double rate,
                       std::uint64_t samples) {
  sgd_step(theta, gradient, rate);
  ++steps_;
  samples_ += samples;
  return steps_ >= steps_per_block_;
}

void local_block::delta(const vector& theta, Eigen::Ref<vector> out) const {
  out = start_ - theta;
}

} // namespace psim::sim
