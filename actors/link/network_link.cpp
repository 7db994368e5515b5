// The network link: a message occupies the link for bytes / bandwidth after the
// previous one has left (FIFO), then arrives one latency sample later. Effects in
// force cut the link, raise its loss or replace its latency.
#include "actors/link/network_link.hpp"

#include "actors/no_reply.hpp"
#include "actors/runtime/clock.hpp"
#include "actors/runtime/hop_stamp.hpp"
#include "actors/runtime/send_later.hpp"
#include "actors/runtime/failure_watch.hpp"
#include "actors/runtime/scenario_cache.hpp"
#include "sim/data/data.hpp"
#include "sim/model/model.hpp"

#include <algorithm>
#include <stdexcept>

namespace psim::actors {

namespace {

using link_actor = caf::stateful_actor<network_link_state>;
using sim::effect_kind;

// Loss probability and latency in force now: a cut loses all, the highest loss wins,
// the latency of the latest fault wins.
std::pair<double, const sim::distribution*> in_force(const network_link_state& st) {
  double drop = st.conditions->drop;
  const sim::distribution* latency = &st.conditions->latency;
  for (const auto& [fault, e] : st.effects) {
    if (e.kind == effect_kind::link_cut)
      drop = 1;
    else if (e.kind == effect_kind::link_loss)
      drop = std::max(drop, e.probability);
    else if (e.kind == effect_kind::link_latency)
      latency = &e.latency;
  }
  return {drop, latency};
}

// Sets the arrival stamp of a forwarded message (stamp_hop of its type).
using restamp_fn = void (*)(caf::message&, std::int64_t);

// Forgets the copies arrived by `now` once the list has doubled since the last pruning:
// model time never goes back past the stop's time, so the report (still_in_transit)
// lists the same copies as pruning at every send would leave.
void prune_arrived(push_ledger& ledger, clock_point now) {
  auto& copies = ledger.in_transit;
  if (copies.size() < ledger.prune_at)
    return;
  copies.erase(std::remove_if(copies.begin(), copies.end(),
                              [now](const auto& copy) { return copy.first <= now; }),
               copies.end());
  ledger.prune_at = std::max(push_ledger::least_prune, 2 * copies.size());
}

// The copies still on the wire at `now`, by arrival time, those arriving together in the
// order sent.
std::vector<std::pair<clock_point, push_id>> still_in_transit(const push_ledger& ledger,
                                                              clock_point now) {
  std::vector<std::pair<clock_point, push_id>> copies;
  for (const auto& copy : ledger.in_transit)
    if (copy.first > now)
      copies.push_back(copy);
  std::stable_sort(copies.begin(), copies.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return copies;
}

// Puts the message being handled on the wire: it was sent at `at` (0 = unknown), it
// has `bytes` bytes; `push` names it when it is a gradient push. Times are model times: under the real clock the
// send time is the one the message carries, and each copy is stamped with its arrival.
void transmit(link_actor* self, std::int64_t at, restamp_fn restamp, std::uint64_t bytes,
              std::uint64_t gradients, const std::optional<push_id>& push = std::nullopt) {
  auto& st = self->state;
  auto real_now = self->clock().now();
  st.timing.enter_stamped(self, real_now, at);
  auto now = st.timing.now;
  auto start = std::max(now, st.free_at);
  st.free_at = start + to_timespan(static_cast<double>(bytes) / st.conditions->bandwidth);
  ++st.counters.sent;
  st.counters.bytes += bytes;
  if (push && !st.pushes)
    st.pushes = std::make_unique<push_ledger>();
  auto [drop, latency] = in_force(st);
  if (drop > 0 && (drop >= 1 || st.rng->uniform() < drop)) {
    ++st.counters.dropped;
    st.counters.gradients_dropped += gradients;
    if (push)
      st.pushes->dropped.insert(*push);
    if (st.tracing) // its name is made only for the event
      event_trace{st.recorder, sim::to_string(st.id), true}.emit_to(self, event_kind::drop,
                                                                      st.id.to, -1, -1, bytes);
    return;
  }
  auto copies = 1;
  if (st.conditions->duplicate > 0 && st.rng->uniform() < st.conditions->duplicate) {
    ++st.counters.duplicated;
    copies = 2;
  }
  if (push) {
    prune_arrived(*st.pushes, now);
    if (!st.pushes->dropped.empty())
      st.pushes->dropped.erase(*push); // a resend got through
  }
  // Forward the message itself: its payload is shared, not copied (under the real clock
  // this link's arrival time travels beside a shared one).
  auto msg = self->current_mailbox_element()->move_content_to_message();
  for (auto i = 0; i < copies; ++i) {
    auto arrival = st.free_at + to_timespan(latency->sample(*st.rng));
    if (push)
      st.pushes->in_transit.emplace_back(arrival, *push);
    if (st.timing.deadlines && restamp != nullptr)
      restamp(msg, stamp_of(arrival));
    if (arrival <= real_now)
      self->send(st.destination, msg);
    else
      send_later(self, st.destination, arrival - real_now, msg);
  }
}

// model.wire_bytes spread over the model's parameters, and over the ring's vector (the
// parameters and the batch weight); zeros when the real size counts.
void set_wire_size(network_link_state& st, const sim::scenario& scn) {
  st.wire_per_double = wire_per_double(scn, 0);
  st.wire_per_ring_double = wire_per_double(scn, 1);
}

// The link's ends, from the names in its configuration.
sim::link_id link_of(const actor_config& config) {
  auto from = sim::parse_actor_id(config.from);
  auto to = sim::parse_actor_id(config.to);
  if (!from || !to)
    throw std::invalid_argument("a link between \"" + config.from + "\" and \"" + config.to
                                + "\", which name no actors");
  return sim::link_id{*from, *to};
}

// The conditions of the link `from` -> `to` of `scn`: the scenario's own, shared, unless
// a [[network.link]] entry covers the link.
std::shared_ptr<const sim::network_config>
conditions_of(const std::shared_ptr<const sim::scenario>& scn, const std::string& from,
              const std::string& to) {
  const auto& net = scn->network;
  if (std::none_of(net.links.begin(), net.links.end(),
                   [&](const auto& o) { return o.covers(from, to); }))
    return {scn, &net}; // shares the scenario's ownership: no copy, no allocation
  auto own = net.for_link(from, to);
  own.links.clear(); // applied already
  return std::make_shared<const sim::network_config>(std::move(own));
}

// Effect `e` of fault `fault` begins (or, `begin` false, ends).
void on_effect(network_link_state& st, const effect_msg& e) {
  auto& f = st.effects;
  auto it = std::lower_bound(f.begin(), f.end(), e.fault,
                             [](const auto& entry, std::uint32_t x) { return entry.first < x; });
  bool found = it != f.end() && it->first == e.fault;
  if (e.begin && found)
    it->second = e.effect;
  else if (e.begin)
    f.insert(it, {e.fault, e.effect});
  else if (found)
    f.erase(it);
}

void on_stop(link_actor* self, const caf::actor& recorder) {
  auto& st = self->state;
  st.stopped = true;
  auto now = self->clock().now();
  link_report report;
  report.name = sim::to_string(st.id);
  const auto& c = st.counters;
  report.sent = c.sent;
  report.dropped = c.dropped;
  report.duplicated = c.duplicated;
  report.bytes = c.bytes;
  report.gradients_dropped = c.gradients_dropped;
  if (st.pushes) {
    for (const auto& [arrival, push] : still_in_transit(*st.pushes, now)) {
      auto [worker, incarnation, seq] = push;
      report.in_transit.insert(report.in_transit.end(), {worker, incarnation, seq});
    }
    for (const auto& [worker, incarnation, seq] : st.pushes->dropped)
      report.dropped_pushes.insert(report.dropped_pushes.end(), {worker, incarnation, seq});
  }
  report.lag = st.timing.lag.values();
  self->send(recorder, std::move(report));
}

// The link's identity, failure name, random stream, conditions and clock, from `config`.
void set_up(link_actor* self, const actor_config& config) {
  auto& st = self->state;
  st.id = link_of(config);
  // The name is made only if a handler throws: no string per link all run long.
  self->set_exception_handler([id = st.id](caf::scheduled_actor*, std::exception_ptr& x) {
    return failure_of(sim::to_string(id), x);
  });
  auto scenario = shared_scenario(config.scenario);
  st.rng.emplace(scenario->seed, "link/" + sim::to_string(st.id));
  st.conditions = conditions_of(scenario, config.from, config.to);
  st.tracing = scenario->trace.events;
  if (scenario->run.clock == sim::clock_kind::real_time)
    st.timing.follow_deadlines();
  set_wire_size(st, *scenario);
}

} // namespace

caf::behavior network_link(link_actor* self, actor_config config) {
  set_up(self, config);
  const auto& st = self->state;
  auto carry_gradient = [=](const gradient_msg& g, std::int64_t at) {
    if (!self->state.stopped)
      transmit(self, at, stamp_hop<gradient_msg>,
               wire_message_bytes(g.size(), self->state.wire_per_double), g.gradients,
               push_id{g.worker, g.incarnation, g.seq});
  };
  auto gradients = [=](const gradient_msg& g) -> no_reply {
    carry_gradient(g, g.at);
    return {};
  };
  // A worker's resend under the real clock: its kept gradient with the time beside it.
  auto stamped_gradients = [=](const gradient_msg& g, const hop_stamp& stamp) -> no_reply {
    carry_gradient(g, stamp.at);
    return {};
  };
  auto params = [=](const params_msg& p) -> no_reply {
    if (!self->state.stopped)
      transmit(self, p.at, stamp_hop<params_msg>,
               wire_message_bytes(p.values.size(), self->state.wire_per_double), 0);
    return {};
  };
  auto chunks = [=](const chunk_msg& c) -> no_reply {
    if (!self->state.stopped)
      transmit(self, c.at, stamp_hop<chunk_msg>,
               wire_message_bytes(c.values.size(), self->state.wire_per_ring_double), 0);
    return {};
  };
  auto joins = [=](const join_msg&) -> no_reply {
    if (!self->state.stopped)
      transmit(self, 0, nullptr, message_bytes(0), 0);
    return {};
  };
  auto wire = [=](wiring& w) { self->state.destination = w.peers.at(0); };
  auto start = [=](start_atom, const caf::actor& recorder) {
    self->state.recorder = recorder;
    throw_if_injected(sim::to_string(self->state.id));
  };
  auto effects = [=](const effect_msg& e) { on_effect(self->state, e); };
  auto stop = [=](stop_atom, const caf::actor& recorder) { on_stop(self, recorder); };
  // CAF tries the handlers in order, and each one of another message type tried first
  // costs a type comparison (a strcmp): the type this link carries most comes first.
  if (st.id.to.is_server())
    return {gradients, joins, stamped_gradients, params, chunks, effects, wire, start, stop};
  if (st.id.from.is_server())
    return {params, gradients, stamped_gradients, chunks, joins, effects, wire, start, stop};
  return {chunks, gradients, stamped_gradients, params, joins, effects, wire, start, stop};
}

double wire_per_double(const sim::scenario& scn, std::size_t extra) {
  if (scn.model.wire_bytes == 0)
    return 0;
  auto data = sim::shared_data(scn.data, scn.seed, scn.cluster.workers);
  auto parameters = sim::make_model(scn.model, data->train.features())->parameters();
  return static_cast<double>(scn.model.wire_bytes) / static_cast<double>(parameters + extra);
}

} // namespace psim::actors
