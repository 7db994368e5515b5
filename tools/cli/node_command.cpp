// psim node: host psim actors for coordinators on other machines, until Ctrl-C.
// Run: PSIM_SECRET=s3cret tools/psim node --listen 127.0.0.1:7001
// Check one from elsewhere: PSIM_SECRET=s3cret tools/psim node --check 127.0.0.1:7001
#include "actors/messages.hpp"
#include "actors/runtime/cores.hpp"
#include "actors/remote/connection_guard.hpp"
#include "actors/remote/handshake.hpp"
#include "actors/remote/node.hpp"
#include "actors/remote/remote_cluster.hpp"
#include "actors/runtime/send_later.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/huge_pages.hpp"

#include <caf/io/middleman.hpp>
#include <caf/openssl/publish.hpp>
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <pthread.h>

namespace psim::cli {

namespace {

// "host:port" with port 0..65535 (0: the OS picks); nullopt when malformed.
std::optional<std::pair<std::string, std::uint16_t>> listen_address(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    return std::nullopt;
  auto digits = text.substr(colon + 1);
  if (digits.empty() || digits.size() > 5
      || digits.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  auto port = std::stoul(digits);
  if (port > 65535)
    return std::nullopt;
  auto host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return std::make_pair(host, static_cast<std::uint16_t>(port));
}

// psim node --check: handshake, then every message type there and back.
int check_node(caf::actor_system_config& cfg, const std::string& address,
               const std::string& secret, bool tls) {
  caf::actor_system sys{cfg};
  try {
    // The check is a run of its own: the node ends its echo actor with this owner.
    caf::scoped_actor owner{sys};
    auto gate = actors::connect_node(sys, address, secret, "--check", tls,
                                     caf::actor_cast<caf::actor>(owner));
    std::size_t checked = 0;
    auto failures = actors::check_message_types(sys, gate, checked);
    if (!failures.empty()) {
      std::string names;
      for (const auto& f : failures)
        names += (names.empty() ? "" : ", ") + f;
      print_error("", 0, 0, "", fmt::format("{} of {} message types did not cross to {} "
                                            "and back unchanged: {}",
                                            failures.size(), checked, address, names));
      return exit_failed;
    }
    fmt::print("psim node at {}: handshake accepted; all {} message types crossed and came "
               "back unchanged\n",
               address, checked);
    return exit_ok;
  } catch (const actors::deployment_error& e) {
    print_error("", 0, 0, "", e.what());
    return exit_usage;
  }
}

// True for an address only this machine can reach.
bool loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

// The reason plain TCP may not listen on `host`, or "" when it may.
std::string insecure_refusal(const node_args& args, const std::string& host) {
  if (args.tls.enabled() || args.insecure || loopback(host))
    return "";
  return fmt::format("found \"{}\": listening beyond this machine without TLS lets anyone "
                     "who can reach the port make the node allocate memory before any "
                     "authentication (CAF 0.17 allocates what a 32-byte message header "
                     "announces, up to 4 GiB) and read the run's messages; pass --tls-cert, "
                     "--tls-key and --tls-ca, or --insecure on a network you trust",
                     args.listen);
}

// Listens with `node` published on `host`:`wanted`; the port, or 0 after printing why not.
std::uint16_t publish(caf::actor_system& sys, const caf::actor& node, const node_args& args,
                      const std::string& host, std::uint16_t wanted) {
  const char* in = host == "0.0.0.0" ? nullptr : host.c_str();
  auto port = args.tls.enabled() ? caf::openssl::publish(node, wanted, in, true)
                                 : sys.middleman().publish(node, wanted, in, true);
  if (port)
    return *port;
  auto text = sys.render(port.error());
  if (text.find("cannot_open_port") != std::string::npos)
    text = fmt::format("the port is taken or not ours to use (see who holds it: ss -ltnp "
                       "'sport = :{}'; ports below 1024 need privileges) or {} is not an "
                       "address of this machine",
                       wanted, host);
  print_error("", 0, 0, "--listen", fmt::format("cannot listen on {}: {}", args.listen, text));
  return 0;
}

// The parsed --listen, or nullopt after printing why it is refused.
std::optional<std::pair<std::string, std::uint16_t>> checked_listen(const node_args& args) {
  auto where = listen_address(args.listen);
  if (!where) {
    print_error("", 0, 0, "--listen",
                fmt::format("found \"{}\"; allowed: HOST:PORT, e.g. 127.0.0.1:7001 (port 0: "
                            "the OS picks)",
                            args.listen));
    return std::nullopt;
  }
  auto refusal = insecure_refusal(args, where->first);
  if (!refusal.empty()) {
    print_error("", 0, 0, "--listen", refusal);
    return std::nullopt;
  }
  return where;
}

// Serves until SIGINT or SIGTERM; the exit code.
int serve(actors::clock_config& cfg, const node_args& args, const std::string& secret,
          const std::string& host, std::uint16_t wanted, const sigset_t& stop_signals) {
  caf::actor_system sys{cfg};
  actors::timer_thread shipping{*cfg.timer}; // stops before the system
  // Only this process knows the token that stops the node actor: exit messages do not.
  std::uint64_t token = std::stoull(actors::random_hex(8), nullptr, 16);
  auto node = sys.spawn(actors::node_actor, secret, token);
  auto port = publish(sys, node, args, host, wanted);
  if (port == 0) {
    caf::anon_send(node, actors::stop_atom::value, token);
    return exit_failed;
  }
  actors::connection_guard guard{port,
                                 std::chrono::milliseconds(
                                   static_cast<std::int64_t>(args.handshake_timeout * 1000)),
                                 args.max_unauthenticated};
  fmt::print("psim node listening on {}:{}{}\n", host, port, args.tls.enabled() ? " (TLS)" : "");
  std::fflush(stdout);
  int signal = 0;
  sigwait(&stop_signals, &signal);
  fmt::print(stderr, "psim node: stopping\n");
  caf::anon_send(node, actors::stop_atom::value, token);
  return exit_ok;
}

} // namespace

int node_command(const node_args& args) {
  // A node cannot know how many actors it will host: huge pages in case they are many.
  restart_with_huge_pages();
  std::string secret;
  try {
    secret = actors::load_secret(args.secret_file);
    actors::check_tls_files(args.tls);
  } catch (const actors::secret_error& e) {
    print_error("", 0, 0, "", e.what());
    return exit_usage;
  }
  // Declared before the system, so that it outlives the actors that might still send.
  actors::real_timer timer;
  actors::clock_config cfg;
  actors::register_types(cfg);
  actors::configure_scheduler(cfg);
  actors::configure_remoting(cfg, args.tls);
  if (!args.check.empty())
    return check_node(cfg, args.check, secret, args.tls.enabled());
  auto where = checked_listen(args);
  if (!where)
    return exit_usage;
  // Only the node's gates spawn actors here, and only for admitted coordinators: CAF's
  // own remote_spawn finds no actor type by name.
  cfg.actor_factories.clear();
  cfg.timer = &timer; // the hosted actors' timed messages: started in serve
  // Ctrl-C and SIGTERM are taken by sigwait in serve; every CAF thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  return serve(cfg, args, secret, where->first, where->second, stop_signals);
}

} // namespace psim::cli
