// Attacks on a real `psim node` on 127.0.0.1, from this test process speaking CAF and raw
// TCP: exit messages, a replayed answer, idle connections, a peer reusing an admitted
// coordinator's node id, and a flood of wrong answers.
#include "actors/messages.hpp"
#include "actors/registry.hpp"
#include "actors/remote/handshake.hpp"
#include "actors/remote/node.hpp"
#include "actors/remote/remote_cluster.hpp"
#include "tests/support/node_process.hpp"
#include "tests/support/psim_process.hpp"

#include <caf/io/middleman.hpp>
#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <memory>

using namespace psim;
using namespace psim::test;

namespace {

const std::string secret = "attack-test-secret-0123";
constexpr auto reply_limit = std::chrono::seconds(10);

// A CAF system in this process, configured as psim's coordinator is.
struct peer {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;

  peer() {
    actors::register_types(cfg);
    actors::configure_remoting(cfg);
    sys = std::make_unique<caf::actor_system>(cfg);
  }

  caf::actor connect(const node_process& n) {
    auto node = sys->middleman().remote_actor("127.0.0.1", static_cast<std::uint16_t>(n.port()));
    REQUIRE(node);
    return *node;
  }
};

// `(hello_atom, version)` -> the node's nonce.
std::string nonce_of(caf::scoped_actor& self, const caf::actor& node) {
  std::string nonce;
  self->request(node, reply_limit, actors::hello_atom::value, std::string{PSIM_VERSION})
    .receive([&](std::string& n) { nonce = n; }, [&](caf::error&) {});
  REQUIRE(nonce.size() == 64);
  return nonce;
}

// Sends an answer; the gate, or the node's refusal as text.
std::pair<caf::actor, std::string> answer(caf::scoped_actor& self, const caf::actor& node,
                                          const std::string& nonce, const std::string& mac,
                                          const std::string& run_id = "run-1") {
  std::pair<caf::actor, std::string> out;
  self->request(node, reply_limit, actors::answer_atom::value, nonce, run_id, mac,
                caf::actor_cast<caf::actor>(self))
    .receive([&](caf::actor& g) { out.first = g; },
             [&](caf::error& e) { out.second = actors::error_text(self->system(), e); });
  return out;
}

// The whole handshake as the coordinator does it: a nonce, then the right answer to it.
std::pair<caf::actor, std::string> admit(caf::scoped_actor& self, const caf::actor& node) {
  auto nonce = nonce_of(self, node);
  return answer(self, node, nonce, actors::handshake_answer(secret, nonce, PSIM_VERSION, "run-1"));
}

// `psim node --check` against `n`: its exit code.
int check(const node_process& n) {
  setenv("PSIM_SECRET", secret.c_str(), 1);
  auto r = run_psim("node --check " + n.address());
  unsetenv("PSIM_SECRET");
  CAPTURE(r.err);
  return r.code;
}

// A TCP connection to `port` that sends nothing.
int idle_connection(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
  REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)) == 0);
  return fd;
}

// Waits at most `limit` until `count` of `fds` are closed by the other side; how many were.
std::size_t wait_closed(const std::vector<int>& fds, std::size_t count,
                        std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  std::vector<bool> closed(fds.size(), false);
  std::size_t n = 0;
  while (n < count && std::chrono::steady_clock::now() < deadline) {
    for (std::size_t i = 0; i < fds.size(); ++i) {
      pollfd p{fds[i], POLLIN, 0};
      char c = 0;
      if (!closed[i] && poll(&p, 1, 0) > 0 && recv(fds[i], &c, 1, MSG_DONTWAIT) <= 0) {
        closed[i] = true;
        ++n;
      }
    }
    poll(nullptr, 0, 20); // polling the sockets with a deadline
  }
  return n;
}

} // namespace

TEST_SUITE("cli.node_attack") {

TEST_CASE("exit messages from a stranger stop neither the node nor a run on it") {
  node_process n{secret};
  peer stranger;
  auto node = stranger.connect(n);
  caf::anon_send_exit(node, caf::exit_reason::kill);
  caf::scoped_actor self{*stranger.sys};
  self->send_exit(node, caf::exit_reason::user_shutdown);
  // The node still admits a coordinator and its actors answer.
  CHECK(check(n) == 0);
  CHECK(n.errors().find("ignored an exit message") != std::string::npos);
}

TEST_CASE("a spawned actor obeys exits from its process and its coordinator only") {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto other = *caf::make_node_id(42, "0123456789012345678901234567890123456789");
  auto guarded = sys.spawn([other](caf::event_based_actor* self) -> caf::behavior {
    actors::ignore_foreign_exits(self, other);
    return {[](int x) { return x; }};
  });
  caf::scoped_actor self{sys};
  // Anonymous: could be anyone (exit_reason::kill passes every exit handler in CAF 0.17).
  caf::anon_send_exit(guarded, caf::exit_reason::user_shutdown);
  int back = 0;
  self->request(guarded, reply_limit, 7)
    .receive([&](int x) { back = x; }, [](caf::error&) {});
  CHECK(back == 7);
  self->monitor(guarded);
  self->send_exit(guarded, caf::exit_reason::user_shutdown); // from this process
  bool down = false;
  self->receive([&](caf::down_msg&) { down = true; });
  CHECK(down);
}

// A worker config of a one-worker run with default settings.
actors::actor_config worker_config() {
  actors::actor_config c;
  c.scenario = "[cluster]\nworkers = 1\n";
  return c;
}

// True once the node has said `count` times that it ignored an exit message (10 s at most).
bool ignored_exits(const node_process& n, std::size_t count) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string needle = "ignored an exit message";
  while (std::chrono::steady_clock::now() < deadline) {
    auto text = n.errors();
    std::size_t seen = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
      ++seen;
    if (seen >= count)
      return true;
    poll(nullptr, 0, 20); // polling the node's stderr with a deadline
  }
  return false;
}

TEST_CASE("a forged kill does not end a worker spawned for a coordinator in this process") {
  caf::actor_system_config cfg;
  actors::register_types(cfg);
  caf::actor_system sys{cfg};
  auto other = *caf::make_node_id(42, "0123456789012345678901234567890123456789");
  auto w = actors::spawn_by_type(sys, "worker", worker_config(), other);
  REQUIRE(w);
  caf::scoped_actor self{sys};
  self->monitor(*w);
  caf::anon_send_exit(*w, caf::exit_reason::kill); // anonymous: could be anyone
  // It still reports when asked; then an exit from its own process ends it.
  self->send(*w, actors::stop_atom::value, caf::actor_cast<caf::actor>(self));
  bool reported = false;
  self->receive([&](actors::worker_report&) { reported = true; },
                caf::after(reply_limit) >> [] {});
  CHECK(reported);
  self->send_exit(*w, caf::exit_reason::kill);
  bool down = false;
  self->receive([&](caf::down_msg&) { down = true; }, caf::after(reply_limit) >> [] {});
  CHECK(down);
}

TEST_CASE("a kill over the wire to a worker on a node, from a stranger or anonymous, is ignored") {
  node_process n{secret};
  peer coordinator;
  auto node = coordinator.connect(n);
  caf::scoped_actor self{*coordinator.sys};
  auto gate = admit(self, node);
  REQUIRE(gate.first != nullptr);
  caf::actor worker;
  self->request(gate.first, reply_limit, actors::place_atom::value, std::string{"worker"},
                worker_config())
    .receive([&](caf::actor& a) { worker = a; }, [](caf::error&) {});
  REQUIRE(worker != nullptr);
  self->monitor(worker);
  caf::anon_send_exit(worker, caf::exit_reason::kill);
  peer stranger;
  stranger.connect(n);
  caf::scoped_actor intruder{*stranger.sys};
  intruder->send_exit(worker, caf::exit_reason::kill); // from another process than both
  REQUIRE(ignored_exits(n, 2));
  self->send(worker, actors::stop_atom::value, caf::actor_cast<caf::actor>(self));
  bool reported = false;
  self->receive([&](actors::worker_report&) { reported = true; },
                [](caf::down_msg&) {}, caf::after(reply_limit) >> [] {});
  CHECK(reported);
}

TEST_CASE("a captured answer cannot be replayed: each nonce admits once") {
  node_process n{secret};
  peer coordinator;
  auto node = coordinator.connect(n);
  caf::scoped_actor self{*coordinator.sys};
  auto nonce = nonce_of(self, node);
  CHECK(nonce != nonce_of(self, node));
  auto mac = actors::handshake_answer(secret, nonce, PSIM_VERSION, "run-1");
  CHECK(mac.find(secret) == std::string::npos);
  auto first = answer(self, node, nonce, mac);
  CHECK(first.first != nullptr);
  auto replay = answer(self, node, nonce, mac);
  CHECK(replay.first == nullptr);
  CHECK(replay.second == "unknown or used nonce (a replayed answer?)");
  // The captured answer does not fit a fresh nonce either.
  auto fresh = answer(self, node, nonce_of(self, node), mac);
  CHECK(fresh.first == nullptr);
  CHECK(fresh.second == "wrong secret");
}

TEST_CASE("a later peer from an admitted coordinator's process must pass the handshake") {
  node_process n{secret};
  {
    peer first;
    auto node = first.connect(n);
    caf::scoped_actor self{*first.sys};
    auto gate = admit(self, node);
    CHECK(gate.first != nullptr);
  }
  // Same host and process; admission belonged to the first one's run, not to its node.
  peer second;
  auto node = second.connect(n);
  caf::scoped_actor self{*second.sys};
  bool spawned = false;
  self->request(node, reply_limit, actors::echo_atom::value)
    .receive([&](caf::actor&) { spawned = true; }, [](caf::error&) {});
  self->request(node, reply_limit, actors::echo_atom::value, caf::actor_cast<caf::actor>(self))
    .receive([&](caf::actor&) { spawned = true; }, [](caf::error&) {});
  CHECK_FALSE(spawned);
  auto guess = answer(self, node, nonce_of(self, node), std::string(64, '0'));
  CHECK(guess.second == "wrong secret");
}

TEST_CASE("wrong answers are refused ever more slowly; the right coordinator still gets in") {
  node_process n{secret};
  peer attacker;
  auto node = attacker.connect(n);
  caf::scoped_actor self{*attacker.sys};
  std::vector<double> seconds;
  for (int i = 0; i < 5; ++i) {
    auto nonce = nonce_of(self, node);
    auto start = std::chrono::steady_clock::now();
    auto r = answer(self, node, nonce, actors::handshake_answer("guess-" + std::to_string(i),
                                                                nonce, PSIM_VERSION, "r"));
    CHECK(r.second == "wrong secret");
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                        .count());
  }
  CAPTURE(seconds);
  CHECK(seconds[0] >= 0.1);
  CHECK(seconds[4] >= 1.6);
  CHECK(check(n) == 0);
}

TEST_CASE("idle connections are closed after the handshake timeout, beyond the cap at once") {
  node_process n{secret, {"--handshake-timeout", "1", "--max-unauthenticated", "8"}};
  std::vector<int> fds;
  for (int i = 0; i < 50; ++i)
    fds.push_back(idle_connection(n.port()));
  // A coordinator still gets in while they are open.
  CHECK(check(n) == 0);
  CHECK(wait_closed(fds, 50, std::chrono::seconds(5)) == 50);
  for (int fd : fds)
    close(fd);
  CHECK(n.errors().find("closed a connection that") != std::string::npos);
}

TEST_CASE("50 idle connections do not keep a coordinator out") {
  node_process n{secret};
  std::vector<int> fds;
  for (int i = 0; i < 50; ++i)
    fds.push_back(idle_connection(n.port()));
  CHECK(check(n) == 0);
  // Beyond the default cap of 32, the oldest go at once.
  CHECK(wait_closed(fds, 18, std::chrono::seconds(3)) >= 18);
  for (int fd : fds)
    close(fd);
}

}
