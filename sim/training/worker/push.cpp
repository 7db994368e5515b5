// Push modes on the worker (sync, async, ssp, ksync, kasync): every gradient goes to
// the servers; ksync abandons a computation when a newer round arrives; with
// local_update the worker first applies its own gradient (sgd_step in steps.hpp).
#include "sim/training/worker/worker_rule.hpp"

namespace psim::sim {

namespace {

class push_each final : public worker_rule {
public:
  push_each(bool abandon, bool local_update) : abandon_(abandon), local_update_(local_update) {}
  computed_action on_computed() const override { return computed_action::push; }
  bool abandons_on_newer() const override { return abandon_; }
  bool applies_own_gradient() const override { return local_update_; }

private:
  bool abandon_;
  bool local_update_;
};

} // namespace

std::unique_ptr<const worker_rule> push_rule(bool abandon, bool local_update) {
  return std::make_unique<push_each>(abandon, local_update);
}

} // namespace psim::sim
