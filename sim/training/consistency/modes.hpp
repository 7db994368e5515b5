// The makers of each mode's server rule, one per file of this folder; only the table in
// rule.cpp calls them.
#pragma once

#include "sim/training/consistency/rule.hpp"

namespace psim::sim::detail {

/// sync (BSP): one gradient from every live worker, then a broadcast.
std::unique_ptr<server_rule> make_sync_rule(const training_config& training, std::size_t workers,
                                            const round_sampling& sampling);

/// async: every gradient applied on arrival; its worker answered.
std::unique_ptr<server_rule> make_async_rule(const training_config& training, std::size_t workers);

/// ssp: as async, but a worker waits while it is more than the bound ahead.
std::unique_ptr<server_rule> make_ssp_rule(const training_config& training, std::size_t workers);

/// ksync: the first K gradients on the current version, then a broadcast.
std::unique_ptr<server_rule> make_ksync_rule(const training_config& training, std::size_t workers,
                                             const round_sampling& sampling);

/// kasync: any K gradients, then an answer to those K workers.
std::unique_ptr<server_rule> make_kasync_rule(const training_config& training,
                                              std::size_t workers);

/// local_sgd: one model delta from every live worker, applied at rate 1.
std::unique_ptr<server_rule> make_local_sgd_rule(const training_config& training,
                                                 std::size_t workers,
                                                 const round_sampling& sampling);

} // namespace psim::sim::detail
