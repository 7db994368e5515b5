// summary.json (DESIGN §6): the value a run ends with, and its JSON writer. The CLI
// prints its report from the same value; the file is written atomically.
#pragma once

#include "sim/output/stop_reason.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace psim::sim {

/// The gradient counters of a run; computed = applied + discarded_stale + abandoned
/// + lost + in_flight.
struct gradient_counts {
  std::uint64_t computed = 0;        ///< computations started by workers
  std::uint64_t applied = 0;         ///< applied by a server
  std::uint64_t discarded_stale = 0; ///< discarded by a server for staleness
  std::uint64_t abandoned = 0;       ///< given up by workers before pushing
  std::uint64_t lost = 0;            ///< dropped by the network or a crashed server, not resent
  std::uint64_t in_flight = 0;       ///< computing, on a link, queued or in a mailbox at the stop
};

/// Message counters over all links.
struct message_counts {
  std::uint64_t sent = 0;       ///< put on a link
  std::uint64_t delivered = 0;  ///< received by an actor
  std::uint64_t dropped = 0;    ///< lost on a link
  std::uint64_t duplicated = 0; ///< extra copies made by a link
  std::uint64_t bytes = 0;      ///< bytes put on links
  std::uint64_t resent = 0;     ///< pushes sent again after network.timeout
  std::uint64_t ignored = 0;    ///< repeated pushes the server recognized and ignored
};

/// One scheduled fault in the summary.
struct fault_summary {
  double at = 0;                     ///< seconds when it began
  std::string kind;                  ///< crash, slowdown, partition, drop, latency, server_crash
  std::string target;                ///< the actors or links it touched
  std::optional<double> until;       ///< when it ended or the target restarted
  std::optional<std::uint64_t> rolled_back; ///< server_crash: versions undone
};

/// One worker's line in the summary.
struct worker_summary {
  std::uint32_t id = 0;        ///< worker number
  std::uint64_t gradients = 0; ///< gradients it pushed
  std::uint64_t crashes = 0;   ///< times it crashed
  std::string node = "local";  ///< where it ran
  std::vector<double> params;  ///< allreduce: its replica's final parameters
  std::size_t rows = 0;        ///< rows in its data shard
  std::vector<std::size_t> labels; ///< rows per class in its shard (classifiers)
  bool never_computed = false; ///< it started no computation in the whole run
  std::optional<double> online_share; ///< [availability]: share of the run it was online
  std::uint64_t departures = 0;    ///< [availability]: times it went offline
};

/// One server shard's line in the summary.
struct shard_summary {
  std::uint32_t id = 0;                           ///< shard number
  std::uint64_t version = 0;                      ///< its last version
  gradient_counts gradients;                      ///< its gradient counters
  std::vector<std::uint64_t> staleness_histogram; ///< [k]: applied with staleness k (empty
                                                  ///< when it is the only shard: the run's)
  std::uint64_t rolled_back = 0;                  ///< versions undone by its crashes
};

/// Everything summary.json holds.
struct run_summary {
  std::string name;                    ///< scenario name
  std::uint64_t seed = 0;              ///< seed of the random streams
  std::string mode;                    ///< training mode
  std::string clock;                   ///< virtual | real
  bool deterministic = true;           ///< same scenario and seed give the same bytes
  stop_reason stopped_by = stop_reason::updates; ///< why the run stopped
  std::uint64_t version = 0;           ///< last version applied
  double time_s = 0;                   ///< seconds (virtual or real) when the run stopped
  double wall_s = 0;                   ///< wall-clock seconds of the run
  std::optional<double> train_loss;    ///< final train loss
  std::optional<double> test_loss;     ///< final test loss
  std::optional<double> test_accuracy; ///< final test accuracy
  std::vector<double> params;          ///< final parameters (written when <= 1000)
  gradient_counts gradients;           ///< gradient counters
  std::vector<std::uint64_t> staleness_histogram; ///< [k]: applied with staleness k
  message_counts messages;             ///< message counters
  std::vector<worker_summary> workers; ///< one per worker
  std::vector<fault_summary> faults;   ///< every fault that began
  std::vector<shard_summary> shards;   ///< per server shard (written when more than one)
  std::optional<double> version_skew_mean; ///< mean spread of shard versions computed on
  std::uint64_t version_skew_max = 0;  ///< largest such spread
  std::string error;                   ///< stopped_by = failed: what failed ("" otherwise)
  std::vector<std::uint64_t> lag;      ///< real clock: the lag histogram of all timed
                                       ///< events (sim::lag_histogram::values())
  double lag_reference_s = 0;          ///< real clock: the smallest modelled duration (mean
                                       ///< compute time, mean latency), to judge lag against
};

/// The staleness of a run as the summary states it: mean and largest value.
struct staleness_stats {
  std::optional<double> mean; ///< mean staleness of applied gradients; none when none
  std::size_t max = 0;        ///< the largest staleness applied
};

/// Mean and maximum of the staleness histogram `histogram` ([k]: applied with staleness k).
staleness_stats staleness_of(const std::vector<std::uint64_t>& histogram);

/// `summary` as summary.json's text (two-space indented, ending with a newline).
std::string summary_json(const run_summary& summary);

/// Writes `summary` as JSON to `path` atomically (temporary file, then rename).
void write_summary(const std::string& path, const run_summary& summary);

} // namespace psim::sim
