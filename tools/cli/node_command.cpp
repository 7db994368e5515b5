// psim node: host psim actors for coordinators on other machines, until Ctrl-C.
// Run: PSIM_SECRET=s3cret tools/psim node --listen 127.0.0.1:7001
// Check one from elsewhere: PSIM_SECRET=s3cret tools/psim node --check 127.0.0.1:7001
#include "actors/messages.hpp"
#include "actors/remote/node.hpp"
#include "actors/remote/remote_cluster.hpp"
#include "tools/cli/commands.hpp"

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
    auto node = actors::connect_node(sys, address, secret, "--check", tls);
    std::size_t checked = 0;
    auto failures = actors::check_message_types(sys, node, checked);
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

} // namespace

int node_command(const node_args& args) {
  std::string secret;
  try {
    secret = actors::load_secret(args.secret_file);
    actors::check_tls_files(args.tls);
  } catch (const actors::secret_error& e) {
    print_error("", 0, 0, "", e.what());
    return exit_usage;
  }
  caf::actor_system_config cfg;
  actors::register_types(cfg);
  actors::configure_remoting(cfg, args.tls);
  if (!args.check.empty())
    return check_node(cfg, args.check, secret, args.tls.enabled());
  auto where = listen_address(args.listen);
  if (!where) {
    print_error("", 0, 0, "--listen",
                fmt::format("found \"{}\"; allowed: HOST:PORT, e.g. 127.0.0.1:7001 (port 0: "
                            "the OS picks)",
                            args.listen));
    return exit_usage;
  }
  // Only the node actor spawns actors here, and only for admitted peers: CAF's own
  // remote_spawn finds no actor type by name.
  cfg.actor_factories.clear();
  // Ctrl-C and SIGTERM are taken by sigwait below; every CAF thread inherits the mask.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  caf::actor_system sys{cfg};
  auto node = sys.spawn(actors::node_actor, secret);
  const auto& [host, wanted] = *where;
  const char* in = host == "0.0.0.0" ? nullptr : host.c_str();
  auto port = args.tls.enabled() ? caf::openssl::publish(node, wanted, in, true)
                                 : sys.middleman().publish(node, wanted, in, true);
  if (!port) {
    print_error("", 0, 0, "--listen",
                fmt::format("cannot listen on {}: {}", args.listen, sys.render(port.error())));
    caf::anon_send_exit(node, caf::exit_reason::kill);
    return exit_failed;
  }
  fmt::print("psim node listening on {}:{}{}\n", host, *port, args.tls.enabled() ? " (TLS)" : "");
  std::fflush(stdout);
  int signal = 0;
  sigwait(&stop_signals, &signal);
  fmt::print(stderr, "psim node: stopping\n");
  caf::anon_send_exit(node, caf::exit_reason::user_shutdown);
  return exit_ok;
}

} // namespace psim::cli
