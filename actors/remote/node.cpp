// The node actor: the challenge and response that admits a coordinator for one run,
// the slowing of wrong answers, and the gates of the admitted runs.
#include "actors/remote/node.hpp"

#include "actors/remote/handshake.hpp"

#include <fmt/format.h>

namespace psim::actors {

namespace {

using node_self = caf::stateful_actor<node_state, local_exits_only>;

// Open challenges live this long, and at most this many at once (the oldest go first).
constexpr auto challenge_lifetime = std::chrono::seconds(30);
constexpr std::size_t max_challenges = 256;

// The host part of a node id ("HOST#PID"): wrong answers slow down per host.
std::string host_of(const caf::node_id& node) {
  auto text = to_string(node);
  return text.substr(0, text.find('#'));
}

std::string peer_of(node_self* self) {
  const auto& sender = self->current_sender();
  return sender != nullptr ? to_string(sender->node()) : std::string{"anonymous"};
}

// A fresh nonce, remembered until it is answered or expires.
std::string challenge(node_self* self) {
  auto& open = self->state.challenges;
  auto now = self->clock().now();
  for (auto it = open.begin(); it != open.end();)
    it = it->second < now ? open.erase(it) : std::next(it);
  while (open.size() >= max_challenges)
    open.erase(std::min_element(open.begin(), open.end(), [](const auto& a, const auto& b) {
      return a.second < b.second;
    }));
  auto nonce = random_hex(32);
  open.emplace(nonce, now + challenge_lifetime);
  return nonce;
}

// Refuses the answer being handled after a delay that grows with the wrong answers in a
// row from its host, so that guessing the secret is slow.
caf::result<caf::actor> refuse(node_self* self, const std::string& why) {
  const auto& sender = self->current_sender();
  auto host = sender != nullptr ? host_of(sender->node()) : std::string{};
  auto& tally = self->state.refusals[host];
  auto now = std::chrono::steady_clock::now();
  if (now - tally.last > std::chrono::seconds(30))
    tally.failures = 0;
  tally.last = now;
  auto delay = refusal_delay(++tally.failures);
  fmt::print(stderr, "psim node: refused peer {}: {}\n", peer_of(self), why);
  auto key = self->state.next_pending++;
  self->state.pending.emplace(key, self->make_response_promise());
  self->delayed_send(self, delay, answer_atom::value, key, why);
  return caf::delegated<caf::actor>{};
}

// Checks an answer to one of this node's challenges; admits the run or refuses.
caf::result<caf::actor> admit(node_self* self, const std::string& nonce,
                              const std::string& run_id, const std::string& answer,
                              const caf::actor& owner) {
  const auto& sender = self->current_sender();
  auto& open = self->state.challenges;
  auto it = open.find(nonce);
  if (it == open.end() || it->second < self->clock().now())
    return refuse(self, "unknown or used nonce (a replayed answer?)");
  open.erase(it);
  auto expected = handshake_answer(self->state.secret, nonce, PSIM_VERSION, run_id);
  if (!same_answer(answer, expected))
    return refuse(self, "wrong secret");
  if (sender == nullptr || owner == nullptr || owner.node() != sender->node())
    return refuse(self, "the run's owner is not on the answering node");
  self->state.refusals.erase(host_of(sender->node()));
  auto gate = self->spawn(gate_actor, sender->node(), owner);
  self->state.gates.insert(gate);
  self->monitor(gate);
  fmt::print(stderr, "psim node: admitted peer {} for run {}\n", peer_of(self), run_id);
  return gate;
}

} // namespace

caf::behavior node_actor(node_self* self, std::string secret, std::uint64_t stop_token) {
  self->state.secret = std::move(secret);
  self->state.stop_token = stop_token;
  // Exits from other processes never get here (local_exits_only); local ones are ignored
  // too: only (stop_atom, stop_token) stops the node.
  self->set_exit_handler([](caf::exit_msg&) {});
  self->set_down_handler([=](caf::down_msg& msg) {
    self->state.gates.erase(caf::actor_cast<caf::actor>(msg.source));
  });
  return {
    [=](hello_atom, const std::string& version) -> caf::result<std::string> {
      if (version != PSIM_VERSION)
        return caf::make_error(caf::sec::invalid_argument,
                               fmt::format("psim version mismatch: the node runs {}, the "
                                           "coordinator {}",
                                           PSIM_VERSION, version));
      return challenge(self);
    },
    [=](answer_atom, const std::string& nonce, const std::string& run_id,
        const std::string& answer, const caf::actor& owner) {
      return admit(self, nonce, run_id, answer, owner);
    },
    [=](answer_atom, std::uint64_t key, const std::string& why) {
      auto it = self->state.pending.find(key);
      if (self->current_sender() != self->ctrl() || it == self->state.pending.end())
        return;
      it->second.deliver(caf::make_error(caf::sec::invalid_argument, why));
      self->state.pending.erase(it);
    },
    [=](stop_atom, std::uint64_t token) {
      if (token != self->state.stop_token)
        return;
      for (const auto& gate : self->state.gates)
        self->send(gate, stop_atom::value);
      self->quit(caf::exit_reason::kill);
    },
  };
}

} // namespace psim::actors
