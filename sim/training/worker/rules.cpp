// The table of worker rules: the only place on the worker side that chooses by mode.
// With training.local_steps = H > 1 every server mode takes H local steps per push
// (async: FedAsync, kasync: FedBuff); H = 1 pushes every gradient as before.
#include "sim/training/worker/worker_rule.hpp"

namespace psim::sim {

std::unique_ptr<const worker_rule> make_worker_rule(const training_config& training) {
  auto steps = static_cast<std::uint32_t>(training.local_steps);
  if (steps > 1 && training.mode != mode_kind::allreduce)
    return local_steps_rule(steps);
  switch (training.mode) {
    case mode_kind::sync:
    case mode_kind::async:
    case mode_kind::ssp:
    case mode_kind::kasync:
      return push_rule(false, training.local_update);
    case mode_kind::ksync:
      return push_rule(true, training.local_update);
    case mode_kind::local_sgd:
      return local_steps_rule(static_cast<std::uint32_t>(training.local_steps));
    case mode_kind::allreduce:
      return ring_rule();
  }
  return push_rule(false, training.local_update);
}

} // namespace psim::sim
