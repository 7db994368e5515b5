// The parameter server: holds the parameters and their version, applies gradients as
// the training mode says (DESIGN §3) and sends parameters back to the workers.
#pragma once

#include "actors/messages.hpp"
#include "sim/dataset.hpp"
#include "sim/scenario.hpp"
#include "sim/sequence_filter.hpp"

#include <caf/all.hpp>

#include <memory>
#include <optional>
#include <vector>

namespace psim::actors {

/// What a server holds between messages.
struct parameter_server_state {
  std::shared_ptr<const sim::scenario> scenario;  ///< the run's scenario
  sim::vector theta;                              ///< the parameters
  sim::vector velocity;                           ///< momentum buffer
  std::uint64_t version = 0;                      ///< updates applied
  std::vector<caf::actor> downlinks;              ///< link to each worker
  caf::actor recorder;                            ///< where metrics points go
  std::vector<sim::sequence_filter> seen;         ///< per worker: gradients received
  caf::actor_clock::time_point start{};           ///< time 0 of the run
  double applied_at = 0;                          ///< seconds: when `version` was applied
  std::uint64_t last_point = 0;                   ///< version of the last metrics point
  bool halted = false;                            ///< the update budget is spent
  bool stopped = false;                           ///< the run has ended
  // sync round
  sim::vector round_sum;                          ///< sum of n_w * g_w this round
  std::uint64_t round_samples = 0;                ///< sum of n_w this round
  std::vector<bool> round_has;                    ///< which workers sent this round
  std::size_t round_count = 0;                    ///< gradients received this round
  // metrics
  double staleness_sum = 0;                       ///< since the last metrics point
  std::uint64_t staleness_count = 0;              ///< since the last metrics point
  server_report report;                           ///< counters so far

  /// The actor's name in CAF's diagnostics.
  static inline const char* name = "parameter_server";
};

/// The behavior of server shard `config.id`.
caf::behavior parameter_server(caf::stateful_actor<parameter_server_state>* self,
                               actor_config config);

} // namespace psim::actors
