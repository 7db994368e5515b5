// The connection guard: every 100 ms it lists this process's sockets (/proc/self/fd),
// keeps those connected to the node's port, and shuts down the ones that stay unproven
// (TCP_INFO's bytes received) past the limit or beyond the cap; CAF then closes them.
#include "actors/remote/connection_guard.hpp"

#include <fmt/format.h>

#include <dirent.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace psim::actors {

namespace {

using clock_type = std::chrono::steady_clock;

// One accepted connection: its descriptor, socket inode and bytes received so far.
struct connection {
  int fd;
  ino_t inode;
  std::uint64_t received;
};

// The local port of socket `fd`, or 0.
std::uint16_t local_port(int fd) {
  sockaddr_storage address{};
  socklen_t size = sizeof(address);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0)
    return 0;
  if (address.ss_family == AF_INET)
    return ntohs(reinterpret_cast<sockaddr_in*>(&address)->sin_port);
  if (address.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<sockaddr_in6*>(&address)->sin6_port);
  return 0;
}

// The connections (not the listening socket) of this process on local `port`.
std::vector<connection> connections_on(std::uint16_t port) {
  std::vector<connection> found;
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr)
    return found;
  while (auto* entry = readdir(dir)) {
    char* end = nullptr;
    long fd = std::strtol(entry->d_name, &end, 10);
    struct stat info {};
    if (*end != '\0' || fd == dirfd(dir) || fstat(static_cast<int>(fd), &info) != 0
        || !S_ISSOCK(info.st_mode) || local_port(static_cast<int>(fd)) != port)
      continue;
    int listening = 0;
    socklen_t size = sizeof(listening);
    if (getsockopt(static_cast<int>(fd), SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) != 0
        || listening != 0)
      continue;
    tcp_info tcp{};
    size = sizeof(tcp);
    if (getsockopt(static_cast<int>(fd), IPPROTO_TCP, TCP_INFO, &tcp, &size) != 0)
      continue;
    found.push_back({static_cast<int>(fd), info.st_ino, tcp.tcpi_bytes_received});
  }
  closedir(dir);
  return found;
}

// Shuts `c` down if its descriptor still names the same socket.
void close_connection(const connection& c, const char* why) {
  struct stat info {};
  if (fstat(c.fd, &info) != 0 || info.st_ino != c.inode)
    return;
  shutdown(c.fd, SHUT_RDWR);
  fmt::print(stderr, "psim node: closed a connection that {}\n", why);
}

} // namespace

connection_guard::connection_guard(std::uint16_t port, std::chrono::milliseconds limit,
                                   std::size_t cap)
  : port_(port), limit_(limit), cap_(cap), thread_([this] { watch(); }) {
}

connection_guard::~connection_guard() {
  stop_ = true;
  thread_.join();
}

void connection_guard::watch() {
  std::map<ino_t, clock_type::time_point> first_seen;
  while (!stop_) {
    auto now = clock_type::now();
    auto current = connections_on(port_);
    std::map<ino_t, clock_type::time_point> seen;
    std::vector<std::pair<clock_type::time_point, connection>> unproven;
    for (const auto& c : current) {
      auto it = first_seen.find(c.inode);
      auto since = it != first_seen.end() ? it->second : now;
      seen.emplace(c.inode, since);
      if (c.received >= proof_bytes)
        continue;
      if (now - since > limit_)
        close_connection(c, "did not finish the handshake in time");
      else
        unproven.emplace_back(since, c);
    }
    first_seen = std::move(seen);
    if (unproven.size() > cap_) {
      std::sort(unproven.begin(), unproven.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      for (std::size_t i = 0; i + cap_ < unproven.size(); ++i)
        close_connection(unproven[i].second, "was one too many without a handshake");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

} // namespace psim::actors
