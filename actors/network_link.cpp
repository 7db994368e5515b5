// The network link: a message occupies the link for bytes / bandwidth after the
// previous one has left (FIFO), then arrives one latency sample later.
#include "actors/network_link.hpp"

#include "actors/clock.hpp"
#include "actors/scenario_cache.hpp"

namespace psim::actors {

namespace {

using link_actor = caf::stateful_actor<network_link_state>;

// Puts the message being handled on the wire: it carries `doubles` doubles.
void transmit(link_actor* self, std::size_t doubles, std::uint64_t gradients) {
  auto& st = self->state;
  auto bytes = message_bytes(doubles);
  auto now = self->clock().now();
  auto start = std::max(now, st.free_at);
  st.free_at = start + to_timespan(static_cast<double>(bytes) / st.bandwidth);
  ++st.report.sent;
  st.report.bytes += bytes;
  if (st.drop > 0 && st.rng->uniform() < st.drop) {
    ++st.report.dropped;
    st.report.gradients_dropped += gradients;
    st.trace.emit(self, "drop", st.to, -1, -1, bytes);
    return;
  }
  auto copies = 1;
  if (st.duplicate > 0 && st.rng->uniform() < st.duplicate) {
    ++st.report.duplicated;
    copies = 2;
  }
  // Forward the message itself: its payload is shared, not copied.
  auto msg = self->current_mailbox_element()->move_content_to_message();
  for (auto i = 0; i < copies; ++i) {
    auto arrival = st.free_at + to_timespan(st.latency.sample(*st.rng));
    if (arrival <= now)
      self->send(st.destination, msg);
    else
      self->delayed_send(st.destination, arrival - now, msg);
  }
}

} // namespace

caf::behavior network_link(link_actor* self, actor_config config) {
  auto scn = shared_scenario(config.scenario);
  auto& st = self->state;
  st.rng.emplace(scn->seed, "link/" + config.from + "->" + config.to);
  st.latency = scn->network.latency;
  st.bandwidth = scn->network.bandwidth;
  st.drop = scn->network.drop;
  st.duplicate = scn->network.duplicate;
  st.report.name = config.from + "->" + config.to;
  st.to = config.to;
  st.trace.actor = st.report.name;
  st.trace.enabled = scn->trace.events;
  return {
    [=](wiring& w) { self->state.destination = w.peers.at(0); },
    [=](start_atom, const caf::actor& recorder) { self->state.trace.recorder = recorder; },
    [=](const gradient_msg& g) {
      if (!self->state.stopped)
        transmit(self, g.values.size(), g.gradients);
    },
    [=](const params_msg& p) {
      if (!self->state.stopped)
        transmit(self, p.values.size(), 0);
    },
    [=](const chunk_msg& c) {
      if (!self->state.stopped)
        transmit(self, c.values.size(), 0);
    },
    [=](stop_atom, const caf::actor& recorder) {
      self->state.stopped = true;
      self->send(recorder, self->state.report);
    },
  };
}

} // namespace psim::actors
