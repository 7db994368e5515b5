// Every message type psim's actors exchange (and, from atoms.hpp, every atom), each a
// plain struct with inspect(), so that any actor can live on another CAF node.
#pragma once

#include "actors/atoms.hpp"
#include "sim/cluster/faults.hpp"

#include <caf/all.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace psim::actors {

/// A gradient a worker pushes, computed on parameters of `version` (in local_sgd: the
/// model delta of `gradients` local steps).
struct gradient_msg {
  std::uint32_t worker = 0;     ///< who computed it
  std::uint64_t version = 0;    ///< version of the parameters it was computed on
  std::uint32_t samples = 0;    ///< rows in the batch (weight in sync averaging)
  std::uint64_t seq = 0;        ///< the worker's push number, from 1
  std::uint32_t gradients = 1;  ///< gradients it carries (local_sgd: the local steps)
  std::uint32_t incarnation = 0; ///< how often the worker was restarted before
  std::uint32_t epoch = 0;      ///< server incarnation of the parameters it used
  std::vector<double> values;   ///< the gradient (or model delta); in residual form the
                                ///< model's residual on one row (sim::model::residual)
  std::int64_t at = 0;          ///< real clock: model time (ns on this node's CAF clock)
                                ///< at which this hop's receiver is meant to handle it; 0 unknown
  std::uint64_t row = 0;        ///< residual form: the training row it was computed on
  std::uint64_t entries = 0;    ///< residual form: the gradient's size; 0: `values` is it

  /// Whether it carries a big model's one-row gradient as its residual, which the server
  /// expands while it steps θ (sim::model::gradient_part): a few numbers on the wire.
  bool residual_form() const { return entries > 0; }

  /// The gradient's entries however it is carried: what its message weighs on a link.
  std::size_t size() const { return residual_form() ? entries : values.size(); }
};

/// One step of a ring all-reduce: a chunk of the summed vector.
struct chunk_msg {
  std::uint64_t round = 0;      ///< the round (version being computed)
  std::uint32_t step = 0;       ///< 0 .. 2(N-1)-1
  std::vector<double> values;   ///< the chunk
  std::int64_t at = 0;          ///< real clock: model time (ns on this node's CAF clock)
                                ///< at which this hop's receiver is meant to handle it; 0 unknown
};

/// Something that happened, for events.csv; the recorder stamps the time.
struct event_msg {
  std::string actor;            ///< who: "worker-3", "server-0", "worker-3->server-0"
  std::string event;            ///< compute_start, compute_end, send, deliver, drop, ...
  std::string peer;             ///< the other side, if any
  std::int64_t version = -1;    ///< parameter version, -1 when none
  std::int64_t staleness = -1;  ///< staleness, -1 when none
  std::uint64_t bytes = 0;      ///< message size, 0 when none
};

/// Parameters a server sends to a worker.
struct params_msg {
  std::uint32_t shard = 0;      ///< server shard: which key range `values` holds
  std::uint64_t version = 0;    ///< number of updates applied
  std::uint32_t epoch = 0;      ///< server incarnation (grows when it restarts)
  std::vector<double> values;   ///< the parameters
  std::int64_t at = 0;          ///< real clock: model time (ns on this node's CAF clock)
                                ///< at which this hop's receiver is meant to handle it; 0 unknown
};

/// Real clock: the model time at which the next receiver of the message before it in the
/// same CAF message is meant to handle that message, where its own `at` is not written
/// because its payload is shared (actors/runtime/hop_stamp.hpp).
struct hop_stamp {
  std::int64_t at = 0; ///< ns on this node's CAF clock; 0 unknown
};

/// A restarted worker asks its server to take it back and send the parameters.
struct join_msg {
  std::uint32_t worker = 0;      ///< worker number
  std::uint32_t incarnation = 0; ///< restarts so far
  caf::actor handle;             ///< the new actor, for the server to monitor
};

/// What happened to one scheduled fault, for summary.json.
struct fault_record {
  double at = 0;                 ///< seconds when it began
  std::string kind;              ///< crash, slowdown, ...
  std::string target;            ///< who or which links
  double until = -1;             ///< seconds when it ended or the target restarted; -1 never
};

/// The fault injector's account at the stop.
struct injector_report {
  std::uint64_t extra_reports = 0;   ///< worker reports beyond one per worker (crashes)
  std::vector<fault_record> faults;  ///< every fault that began
};

/// A fault's effect begins or ends on the receiving worker, server or link.
struct effect_msg {
  std::uint32_t fault = 0; ///< the fault causing it (its place in [[faults]]), kept apart
  sim::effect effect;      ///< what the receiver undergoes
  bool begin = true;       ///< true: now in force; false: lifted
};

/// A snapshot of the server's parameters for the trace, taken when `version` was applied.
struct metrics_point {
  std::uint32_t shard = 0;         ///< server shard the parameters belong to
  std::uint64_t version = 0;       ///< the version just applied
  double time = 0;                 ///< seconds since the start when it was applied
  std::uint64_t gradients = 0;     ///< gradients applied so far
  double staleness_sum = 0;        ///< sum of staleness since the previous point
  std::uint64_t staleness_count = 0; ///< gradients applied since the previous point
  std::vector<double> params;      ///< the parameters of `version`
};

/// What a worker reports when the run stops.
struct worker_report {
  std::uint32_t id = 0;        ///< worker number
  std::uint64_t computed = 0;  ///< gradient computations started
  std::uint64_t pushed = 0;    ///< gradients sent to the server
  std::uint64_t abandoned = 0; ///< computations given up before they were pushed
  std::uint64_t computing = 0; ///< gradients computed or under way, not yet pushed
  std::uint64_t applied = 0;   ///< allreduce: gradients applied to its replica
  std::uint64_t received = 0;  ///< parameter messages received
  std::uint64_t crashes = 0;   ///< times this worker crashed
  std::uint32_t incarnation = 0; ///< restarts before this incarnation
  std::uint64_t pushes = 0;    ///< push messages (seq numbers 1..pushes)
  std::uint64_t resends = 0;   ///< pushes sent again after network.timeout
  std::uint64_t skew_sum = 0;  ///< sum over computations of the spread of shard versions
  std::uint64_t skew_max = 0;  ///< largest spread of shard versions it computed on
  std::string node;            ///< where it ran ("local" or host:port)
  std::vector<double> replica; ///< allreduce: its final parameters
  std::vector<std::uint64_t> lag; ///< real clock: lateness of its timed events
                                  ///< (sim::lag_histogram::values(); empty otherwise)
};

/// What the server reports when the run stops.
struct server_report {
  std::uint32_t shard = 0;           ///< server shard
  std::uint64_t version = 0;         ///< last version applied
  double applied_at = 0;             ///< seconds since the start when it was applied
  double time = 0;                   ///< seconds since the start when the stop came
  std::uint64_t received = 0;        ///< gradient messages received
  std::uint64_t received_gradients = 0; ///< gradients they carried (local_sgd: H each)
  std::uint64_t applied = 0;         ///< gradients applied
  std::uint64_t discarded_stale = 0; ///< gradients discarded for staleness
  std::uint64_t pending = 0;         ///< received, neither applied nor discarded yet
  std::uint64_t duplicates = 0;      ///< repeats of gradients already received, ignored
  std::uint64_t lost = 0;            ///< gradients lost in a server crash
  std::uint64_t rolled_back = 0;     ///< versions undone by server crashes
  std::vector<std::uint64_t> seen;   ///< per push stream: worker, incarnation, highest, gaps..., 0
  std::vector<std::uint64_t> deferred; ///< pushes waiting for the server: worker, inc, seq
  std::vector<std::uint64_t> dropped_pushes; ///< pushes that came while down: worker, inc, seq
  std::vector<std::uint64_t> staleness_histogram; ///< [k]: applied with staleness k
  std::vector<double> params;        ///< the final parameters
  std::vector<std::uint64_t> lag; ///< real clock: lateness of its timed events
                                  ///< (sim::lag_histogram::values(); empty otherwise)
};

/// What a network link reports when the run stops.
struct link_report {
  std::string name;                ///< "worker-0->server-0"
  std::uint64_t sent = 0;          ///< messages put on the link
  std::uint64_t dropped = 0;       ///< messages lost
  std::uint64_t duplicated = 0;    ///< extra copies delivered
  std::uint64_t bytes = 0;         ///< bytes put on the link
  std::uint64_t gradients_dropped = 0; ///< gradients in lost messages
  std::vector<std::uint64_t> in_transit; ///< gradient copies on the wire: worker, inc, seq
  std::vector<std::uint64_t> dropped_pushes; ///< pushes lost and not resent: worker, inc, seq
  std::vector<std::uint64_t> lag; ///< real clock: lateness of its timed events
                                  ///< (sim::lag_histogram::values(); empty otherwise)
};

/// The peers an actor sends to, in the order its role defines (worker: uplinks per
/// server shard; server: downlinks per worker).
struct wiring {
  std::vector<caf::actor> peers; ///< the handles
  std::vector<caf::actor> watch; ///< server: the workers, to monitor
};

/// The fault injector's view of the cluster: every actor by name.
struct directory {
  std::vector<std::string> names;  ///< "worker-3", "server-0", "worker-3->server-0"
  std::vector<caf::actor> handles; ///< the actor of each name
};

/// What a worker, server or link is spawned with: its role and the resolved scenario.
struct actor_config {
  std::uint32_t id = 0;      ///< worker number, server shard, or link number
  std::string from;          ///< link: sender's name ("worker-3")
  std::string to;            ///< link: receiver's name ("server-0")
  std::string scenario;      ///< the resolved scenario (TOML text)
  std::uint32_t incarnation = 0; ///< worker: restarts before this one
  std::string node = {};     ///< where it runs, for reports ("" = "local")
  std::vector<double> initial_parameters = {}; ///< server: its range of the initial parameters
};

/// Serializes a gradient_msg.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, gradient_msg& x) {
  return f(caf::meta::type_name("gradient_msg"), x.worker, x.version, x.samples, x.seq,
           x.gradients, x.incarnation, x.epoch, x.values, x.at, x.row, x.entries);
}

/// Serializes a chunk_msg.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, chunk_msg& x) {
  return f(caf::meta::type_name("chunk_msg"), x.round, x.step, x.values, x.at);
}

/// Serializes a hop_stamp.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hop_stamp& x) {
  return f(caf::meta::type_name("hop_stamp"), x.at);
}

/// Serializes an event_msg.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, event_msg& x) {
  return f(caf::meta::type_name("event_msg"), x.actor, x.event, x.peer, x.version,
           x.staleness, x.bytes);
}

/// Serializes a params_msg.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, params_msg& x) {
  return f(caf::meta::type_name("params_msg"), x.shard, x.version, x.epoch, x.values, x.at);
}

/// Serializes a metrics_point.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, metrics_point& x) {
  return f(caf::meta::type_name("metrics_point"), x.shard, x.version, x.time, x.gradients,
           x.staleness_sum, x.staleness_count, x.params);
}

/// Serializes a worker_report.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, worker_report& x) {
  return f(caf::meta::type_name("worker_report"), x.id, x.computed, x.pushed, x.abandoned,
           x.computing, x.applied, x.received, x.crashes, x.incarnation, x.pushes, x.resends, x.skew_sum, x.skew_max,
           x.node, x.replica, x.lag);
}

/// Serializes a server_report.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, server_report& x) {
  return f(caf::meta::type_name("server_report"), x.shard, x.version, x.applied_at, x.time, x.received, x.received_gradients,
           x.applied, x.discarded_stale, x.pending, x.duplicates, x.lost, x.rolled_back,
           x.seen, x.deferred, x.dropped_pushes, x.staleness_histogram,
           x.params, x.lag);
}

/// Serializes a link_report.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, link_report& x) {
  return f(caf::meta::type_name("link_report"), x.name, x.sent, x.dropped, x.duplicated,
           x.bytes, x.gradients_dropped, x.in_transit, x.dropped_pushes, x.lag);
}

/// Serializes a wiring.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, wiring& x) {
  return f(caf::meta::type_name("wiring"), x.peers, x.watch);
}

/// Serializes an actor_config.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, actor_config& x) {
  return f(caf::meta::type_name("actor_config"), x.id, x.from, x.to, x.scenario,
           x.incarnation, x.node, x.initial_parameters);
}

/// Serializes a join_msg.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, join_msg& x) {
  return f(caf::meta::type_name("join_msg"), x.worker, x.incarnation, x.handle);
}

/// Serializes a fault_record.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, fault_record& x) {
  return f(caf::meta::type_name("fault_record"), x.at, x.kind, x.target, x.until);
}

/// Serializes an injector_report.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, injector_report& x) {
  return f(caf::meta::type_name("injector_report"), x.extra_reports, x.faults);
}

/// Serializes a directory.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, directory& x) {
  return f(caf::meta::type_name("directory"), x.names, x.handles);
}

/// Serializes an effect_msg.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, effect_msg& x) {
  return f(caf::meta::type_name("effect_msg"), x.fault, x.effect, x.begin);
}

/// Registers every message type and every spawnable actor type with `cfg`, under the
/// same names on every node.
void register_types(caf::actor_system_config& cfg);

} // namespace psim::actors

namespace psim::sim {

/// Serializes a distribution; empirical samples travel as a plain vector.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, distribution& x) {
  std::vector<double> samples;
  if (x.samples)
    samples = *x.samples;
  return f(caf::meta::type_name("distribution"), x.kind, x.a, x.b, samples,
           caf::meta::load_callback([&]() -> caf::error {
             x.samples = samples.empty()
                           ? nullptr
                           : std::make_shared<const std::vector<double>>(std::move(samples));
             return caf::none;
           }));
}

/// Serializes an effect.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, effect& x) {
  return f(caf::meta::type_name("effect"), x.kind, x.probability, x.factor, x.latency);
}

} // namespace psim::sim
