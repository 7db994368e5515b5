// The node actor: handshake, placement of actors for a run owner, and their end when
// the owner goes (the run ended, or the coordinator was lost).
#include "actors/remote/node.hpp"

#include "actors/registry.hpp"

#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>

namespace psim::actors {

namespace {

using node_self = caf::stateful_actor<node_state>;

// An actor that answers every message with the message itself.
caf::behavior echo(caf::event_based_actor* self) {
  self->set_default_handler(caf::reflect);
  return {[](stop_atom) {}};
}

// True when the message being handled comes from an admitted peer.
bool admitted(node_self* self) {
  const auto& sender = self->current_sender();
  return sender != nullptr && self->state.admitted.count(sender->node()) > 0;
}

// Keeps `a` to end with `owner`.
void own(node_self* self, const caf::actor& owner, caf::actor a) {
  auto& list = self->state.owned[owner.address()];
  if (list.empty())
    self->monitor(owner);
  list.push_back(std::move(a));
}

} // namespace

caf::behavior node_actor(node_self* self, std::string secret) {
  self->state.secret = std::move(secret);
  self->set_down_handler([=](caf::down_msg& msg) {
    auto it = self->state.owned.find(msg.source);
    if (it == self->state.owned.end())
      return;
    for (const auto& a : it->second)
      self->send_exit(a, caf::exit_reason::kill);
    fmt::print(stderr, "psim node: a run ended; {} actors stopped\n", it->second.size());
    self->state.owned.erase(it);
  });
  self->set_exit_handler([=](caf::exit_msg& msg) {
    for (const auto& [owner, list] : self->state.owned)
      for (const auto& a : list)
        self->send_exit(a, caf::exit_reason::kill);
    self->quit(msg.reason);
  });
  return {
    [=](hello_atom, const std::string& version, const std::string& offered) -> std::string {
      const auto& sender = self->current_sender();
      auto peer = sender != nullptr ? to_string(sender->node()) : std::string{"unknown"};
      std::string verdict;
      if (!same_secret(offered, self->state.secret))
        verdict = "wrong secret";
      else if (version != PSIM_VERSION)
        verdict = fmt::format("psim version mismatch: the node runs {}, the coordinator {}",
                              PSIM_VERSION, version);
      if (!verdict.empty()) {
        fmt::print(stderr, "psim node: refused peer {}: {}\n", peer, verdict);
        return verdict;
      }
      self->state.admitted.insert(sender->node());
      fmt::print(stderr, "psim node: admitted peer {}\n", peer);
      return verdict;
    },
    [=](place_atom, const std::string& type, actor_config& config,
        const caf::actor& owner) -> caf::result<caf::actor> {
      if (!admitted(self))
        return caf::make_error(caf::sec::invalid_argument, "no handshake: peer not admitted");
      // Spawned by the node itself, not through CAF's remote_spawn, so that only
      // admitted peers can place actors here.
      auto a = spawn_by_type(self->system(), type, std::move(config));
      if (!a)
        return std::move(a.error());
      own(self, owner, *a);
      return std::move(*a);
    },
    [=](echo_atom, const caf::actor& owner) -> caf::result<caf::actor> {
      if (!admitted(self))
        return caf::make_error(caf::sec::invalid_argument, "no handshake: peer not admitted");
      auto a = self->spawn(echo);
      own(self, owner, a);
      return a;
    },
  };
}

void configure_remoting(caf::actor_system_config& cfg, const tls_files& tls) {
  cfg.load<caf::io::middleman>();
  if (tls.enabled()) {
    cfg.load<caf::openssl::manager>();
    cfg.openssl_certificate = tls.certificate;
    cfg.openssl_key = tls.key;
    cfg.openssl_cafile = tls.ca;
  }
  // A frozen peer keeps its socket open: only missing heartbeats reveal it.
  cfg.set("middleman.heartbeat-interval", caf::timespan{std::chrono::milliseconds(250)});
  cfg.set("middleman.connection-timeout", caf::timespan{std::chrono::seconds(2)});
}

std::string load_secret(const std::string& secret_file) {
  std::string secret;
  if (!secret_file.empty()) {
    std::ifstream in(secret_file);
    if (!in)
      throw secret_error("cannot read the secret file " + secret_file);
    std::getline(in, secret);
    if (secret.empty())
      throw secret_error("the secret file " + secret_file + " starts with an empty line");
    return secret;
  }
  if (const char* env = std::getenv("PSIM_SECRET"))
    secret = env;
  if (secret.empty())
    throw secret_error("no shared secret: pass --secret-file FILE or set PSIM_SECRET "
                             "(the same on the nodes and the coordinator)");
  return secret;
}

void check_tls_files(const tls_files& tls) {
  if (!tls.enabled())
    return;
  for (const auto& [option, file] : {std::pair{"--tls-cert", &tls.certificate},
                                     std::pair{"--tls-key", &tls.key},
                                     std::pair{"--tls-ca", &tls.ca}}) {
    if (file->empty())
      throw secret_error(fmt::format("TLS needs --tls-cert, --tls-key and --tls-ca; {} is "
                                     "missing",
                                     option));
    if (!std::ifstream(*file))
      throw secret_error(fmt::format("{}: cannot read {}", option, *file));
  }
}

bool same_secret(const std::string& a, const std::string& b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < b.size(); ++i)
    diff |= static_cast<unsigned char>((i < a.size() ? a[i] : 0) ^ b[i]);
  return diff == 0;
}

} // namespace psim::actors
